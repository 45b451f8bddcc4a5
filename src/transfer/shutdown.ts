import {closeTransferConnections} from './http-pool.js'
import {cryptoWorkers} from './crypto-workers.js'

/**
 * Releases what the transfer engine keeps between transfers: idle keep-alive connections and the crypto workers.
 * Neither keeps a process alive (both are unref'd when idle), so a CLI need not call this; a daemon or a test
 * suite that wants a clean shutdown does.
 */
export async function closeTransferEngine(): Promise<void> {
  closeTransferConnections()
  await cryptoWorkers.close()
}
