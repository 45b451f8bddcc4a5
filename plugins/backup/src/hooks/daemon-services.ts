import type {DaemonServicesHook} from '@mega-shell/core'
import {BackupService} from '../service/backup-service.js'

/** The backup plugin's part of the background server: the backup schedules (services.ts). */
const hook: DaemonServicesHook = async function ({registry}) {
  registry.register(new BackupService())
}

export default hook
