import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import type {Db} from '@mega-shell/core'

/** Trees at least this large (entries on the remote side) give their memory back after a pass. */
export const LARGE_TREE = 10_000

let collect: (() => void) | undefined

/**
 * Hands back what a pass over a large tree took: the pages SQLite cached while the pass read the node tree and the
 * synced state (PRAGMA shrink_memory), and the garbage of its maps, which V8 would otherwise keep as heap until it
 * needs room again (a sync of 100,000 files held ~300 MiB more than it uses between passes). The collector is
 * V8's own `gc`, reached without the --expose-gc flag (the server's command line is the core's).
 */
export function releaseMemory(databases: Db[]): void {
  for (const db of databases) db.pragma('shrink_memory')
  if (!collect) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
}
