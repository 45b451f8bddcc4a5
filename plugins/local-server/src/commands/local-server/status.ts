import {dataFlag, localServerHome, MegaCommand} from '@mega-shell/core'
import {countAccounts, runningServer} from '../../control/server-info.js'

export interface StatusResult {
  running: boolean
  dataDir: string
  accounts: number
  url?: string
  pid?: number
  port?: number
}

export default class Status extends MegaCommand<StatusResult> {
  static override summary = 'Show whether the local MEGA-compatible API server runs'
  static override examples = ['<%= config.bin %> local-server:status', '<%= config.bin %> local-server:status --json']
  static override flags = {
    data: dataFlag,
  }

  async run(): Promise<StatusResult> {
    const {flags} = await this.parse(Status)
    const dataDir = flags.data ?? localServerHome()
    const info = runningServer(dataDir)
    const accounts = countAccounts(dataDir)
    this.out(`Local MEGA server: ${info ? 'running' : 'stopped'}`)
    if (info) {
      this.out(`URL: ${info.url}`)
      this.out(`PID: ${info.pid}`)
    }
    this.out(`Data: ${dataDir}`)
    this.out(`Accounts: ${accounts}`)
    return info ? {running: true, dataDir, accounts, url: info.url, pid: info.pid, port: info.port} : {running: false, dataDir, accounts}
  }
}
