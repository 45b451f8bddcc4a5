import type {DaemonServicesHook} from '@mega-shell/core'
import {TransferQueueService} from '../queue/transfer-queue-service.js'

/** The transfer plugin's part of the background server: the queue of `put -q` and `get -q` (services.ts). */
const hook: DaemonServicesHook = async function ({registry}) {
  registry.register(new TransferQueueService())
}

export default hook
