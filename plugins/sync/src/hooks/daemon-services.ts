import type {DaemonServicesHook} from '@mega-shell/core'
import {SyncService} from '../service/sync-service.js'

/** The sync plugin's part of the background server: the syncs (services.ts). */
const hook: DaemonServicesHook = async function ({registry}) {
  registry.register(new SyncService())
}

export default hook
