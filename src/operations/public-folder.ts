import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {b64encode} from '../crypto/base64.js'
import {CommandError, ExitCode, MegaError, sdkErrorText} from '../errors.js'
import {MegaContext} from '../session/context.js'
import type {MegaNode} from '../tree/node.js'
import {type PublicLink, publicLinkUrl} from './public-link.js'

/** A folder link opened without an account: its tree, and the node the link names (its folder, or one inside). */
export interface PublicFolder {
  /** A folder-link session on a throwaway cache: `downloadNode` and `nodes` work on it as on an account's. */
  ctx: MegaContext
  /** The node the link names: the exported folder, or the `/folder/<h>` or `/file/<h>` inside it. */
  node: MegaNode
}

/**
 * Opens a folder link for one operation (get, import) without touching the account or its cache, as MEGAcmd does
 * with one of its auxiliary folder SDKs (MegaCmdExecuter "get"/"import": loginToFolder, fetchNodes, then the
 * node of the link): the tree goes to a temporary cache, removed afterwards. A link that does not open is
 * MEGAcmd's "Failed to access folder link <link>: <error>" with the API code: -9 removed or never made, -8
 * expired, -14 a key that does not decrypt the folder (MEGAcmd would go on with undecryptable "NO_KEY" nodes).
 */
export async function withPublicFolder<T>(apiUrl: string, link: PublicLink, use: (folder: PublicFolder) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'mega-folder-link-'))
  const ctx = new MegaContext({home})
  const text = publicLinkUrl(link)
  try {
    try {
      await ctx.startFolderSession({apiUrl, handle: link.handle, key: b64encode(link.key), link: text})
    } catch (error) {
      if (error instanceof MegaError) throw new MegaError(error.code, `Failed to access folder link ${text}: ${sdkErrorText(error.code)}`)
      throw error
    }
    return await use({ctx, node: linkedNode(ctx, link)})
  } finally {
    ctx.close()
    await rm(home, {recursive: true, force: true})
  }
}

/** The node a folder link names: the `/folder/<h>` or `/file/<h>` after its key (megacmdcommonutils.cpp getPublicLinkHandle), else its root. */
function linkedNode(ctx: MegaContext, link: PublicLink): MegaNode {
  if (!link.node) return ctx.root()
  const node = ctx.nodes.get(link.node.handle)
  if (!node) throw new CommandError(`Failed to get node corresponding to handle within public link ${link.node.handle}`, ExitCode.INVALIDSTATE)
  return node
}
