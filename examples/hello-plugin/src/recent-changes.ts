import type {DaemonService, ServiceContext, TreeChange} from '@mega-shell/core'

/** The service's name: commands call it with `this.callService(SERVICE, …)`. */
export const SERVICE = 'hello'
/** How many changes it remembers. */
const KEEP = 20

/** One remote change as the service remembers it: the action packet's kind (mega-api.md §1.5: t = new nodes, d = deletion, u = update…). */
export type RecentChange = {
  kind: string
  at: string
}

/** What the `recent` handler answers (a type, not an interface: handlers answer JSON values). */
export type RecentChanges = {
  /** Changes seen since the server started. */
  total: number
  /** The last ones, oldest first. */
  recent: RecentChange[]
}

/**
 * A background-server service (DaemonService, `@mega-shell/core`): it listens to the remote changes the server's
 * live feed applies to the cache and remembers the last few, for the plugin's command to ask about. It runs in the
 * server's process for as long as the server does, which is what a command, a process that lives for one call,
 * cannot do.
 */
export function recentChangesService(): DaemonService {
  let total = 0
  const recent: RecentChange[] = []
  let unsubscribe: (() => void) | undefined
  return {
    name: SERVICE,
    start(context: ServiceContext) {
      unsubscribe = context.onTreeChange((change: TreeChange) => {
        // A full reload carries no packets: it counts as one change of its own kind.
        const kinds = change.reloaded ? ['reload'] : change.packets.map((packet) => packet.a)
        const at = new Date().toISOString()
        for (const kind of kinds) recent.push({kind, at})
        total += kinds.length
        recent.splice(0, Math.max(0, recent.length - KEEP))
      })
      context.log.info('listening to remote changes')
    },
    stop() {
      unsubscribe?.()
    },
    status: () => ({state: 'running', message: `${total} remote changes seen`}),
    handlers: {
      recent: (): RecentChanges => ({total, recent: recent.map((change) => ({...change}))}),
    },
  }
}
