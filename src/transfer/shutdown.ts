import {closeTransferConnections} from './http-pool.js'
import {macWorker} from './mac-workers.js'

/**
 * Releases what the transfer engine keeps between transfers: idle keep-alive connections and the MAC worker.
 * Neither keeps a process alive (both are unref'd when idle), so a CLI need not call this; a daemon or a test
 * suite that wants a clean shutdown does.
 */
export async function closeTransferEngine(): Promise<void> {
  closeTransferConnections()
  await macWorker.close()
}
