import type {DaemonServicesHook} from '@mega-shell/core'
import {recentChangesService} from '../recent-changes.js'

/**
 * The background server runs the `daemon-services` hook of every plugin when it starts (or when a plugin is linked
 * or uninstalled while it runs): a plugin registers its services here (src/daemon/services.ts in mega-shell).
 */
const hook: DaemonServicesHook = async function ({registry}) {
  registry.register(recentChangesService())
}

export default hook
