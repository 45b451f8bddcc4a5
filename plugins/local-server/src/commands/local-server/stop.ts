import {dataFlag, localServerHome, MegaCommand} from '@mega-shell/core'
import {terminate} from '../../control/launcher.js'
import {clearServerInfo, readServerInfo, runningServer} from '../../control/server-info.js'

export interface StopResult {
  stopped: boolean
  dataDir: string
  pid?: number
  url?: string
}

export default class Stop extends MegaCommand<StopResult> {
  static override summary = 'Stop the local MEGA-compatible API server'
  static override examples = ['<%= config.bin %> local-server:stop', '<%= config.bin %> local-server:stop --data ./demo-data']
  static override flags = {
    data: dataFlag,
  }

  async run(): Promise<StopResult> {
    const {flags} = await this.parse(Stop)
    const dataDir = flags.data ?? localServerHome()
    const info = runningServer(dataDir)
    if (!info) {
      // A server.json left by a crashed server describes nothing: tidy it away.
      if (readServerInfo(dataDir)) clearServerInfo(dataDir)
      this.out(`No local server is running for ${dataDir}`)
      return {stopped: false, dataDir}
    }
    await terminate(info.pid)
    clearServerInfo(dataDir)
    this.out(`Local MEGA server stopped (pid ${info.pid}, ${info.url})`)
    return {stopped: true, dataDir, pid: info.pid, url: info.url}
  }
}
