import type {DaemonServicesHook} from '@mega-shell/core'
import {WebdavService} from '../service/webdav-service.js'

/** The webdav plugin's part of the background server: the WebDAV server of the served locations (services.ts). */
const hook: DaemonServicesHook = async function ({registry}) {
  registry.register(new WebdavService())
}

export default hook
