import type {Config} from '@oclif/core'
import {cachedRemoteTree, commandCatalog, type CompletionSources, inShareRoots, type MegaContext, type PathResolver, type RemoteTree, Visibility} from '@mega-shell/core'
import {BUILTINS} from './shell-builtins.js'

/**
 * What completion reads, for the shell (in its own process) and for the `completion` command (in the server's warm
 * command host): the commands from the oclif manifests, the cached tree when logged in (no network: the server's
 * live feed keeps the cache current), and the local cwd.
 */
export function completionSources(config: Config, context: MegaContext, resolver: () => PathResolver): CompletionSources {
  return {
    commands: commandCatalog(config),
    extraCommands: BUILTINS,
    remote: remoteTree(context, resolver),
    localCwd: process.cwd(),
    contacts: () => context.loggedIn ? context.contacts.users().filter((user) => user.visibility === Visibility.VISIBLE).map((user) => user.email) : [],
  }
}

function remoteTree(context: MegaContext, resolver: () => PathResolver): RemoteTree | undefined {
  if (!context.loggedIn) return undefined
  try {
    return cachedRemoteTree(resolver(), context.nodes, () => inShareRoots(context.nodes, context.shares, context.contacts))
  } catch {
    // Logged in but the tree not loaded yet: nothing remote to offer.
    return undefined
  }
}
