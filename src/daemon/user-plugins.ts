import {statSync} from 'node:fs'
import {join} from 'node:path'

/**
 * The identity of the user's plugin list: the plugins `mega plugins link|install|uninstall|reset` manage
 * (@oclif/plugin-plugins) are listed in `<oclif dataDir>/package.json` (its lib/plugins.js savePJSON rewrites the
 * whole file on every change), which oclif reads once, when it loads its configuration. A server's command hosts and
 * services were loaded with the list of their start: when this stamp changes they are loaded again (host-pool.ts,
 * daemon.ts). A stat, not a read: it is checked before every command.
 */
export function userPluginsStamp(dataDir: string): string {
  try {
    const stat = statSync(join(dataDir, 'package.json'))
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`
  } catch {
    return 'none'
  }
}
