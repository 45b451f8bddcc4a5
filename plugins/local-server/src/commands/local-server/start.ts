import {Flags} from '@oclif/core'
import {CommandError, ExitCode, localServerHome, MegaCommand} from '@mega-shell/core'
import {launchDetached} from '../../control/launcher.js'
import {clearServerInfoIfOwn, runningServer, writeServerInfo} from '../../control/server-info.js'
import {DEFAULT_HOST, DEFAULT_PORT, startServer} from '../../server/start-server.js'

export interface StartResult {
  url: string
  port: number
  pid: number
  dataDir: string
  foreground: boolean
}

export default class Start extends MegaCommand<StartResult> {
  static override summary = 'Start the local MEGA-compatible API server'
  static override description = 'By default the server runs in the background (log in DIR/server.log, state in DIR/server.json) ' +
    'until local-server:stop. Point clients at it with MEGA_API_URL.'
  static override examples = [
    '<%= config.bin %> local-server:start',
    '<%= config.bin %> local-server:start --port 0 --data ./demo-data',
    '<%= config.bin %> local-server:start --foreground',
  ]
  static override flags = {
    port: Flags.integer({description: 'TCP port (0 picks a free one)', default: DEFAULT_PORT, min: 0, max: 65535}),
    host: Flags.string({description: 'address to bind', default: DEFAULT_HOST}),
    data: Flags.string({description: 'data folder (default: $MEGA_SHELL_HOME/local-server)'}),
    foreground: Flags.boolean({description: 'run in this process until SIGINT/SIGTERM'}),
  }

  async run(): Promise<StartResult> {
    const {flags} = await this.parse(Start)
    const dataDir = flags.data ?? localServerHome()
    const existing = runningServer(dataDir)
    if (existing) {
      throw new CommandError(`A local server is already running for ${dataDir} (pid ${existing.pid}, ${existing.url})`, ExitCode.INVALIDSTATE)
    }
    if (flags.foreground) return this.runForeground(dataDir, flags.port, flags.host)
    let info
    try {
      info = await launchDetached({dataDir, port: flags.port, host: flags.host})
    } catch (error) {
      throw new CommandError(`Could not start the local server: ${(error as Error).message}`, ExitCode.EUNEXPECTED)
    }
    this.announce(info.url)
    return {url: info.url, port: info.port, pid: info.pid, dataDir, foreground: false}
  }

  private async runForeground(dataDir: string, port: number, host: string): Promise<StartResult> {
    const server = await startServer({dataDir, port, host})
    writeServerInfo(dataDir, {pid: process.pid, port: server.port, url: server.url})
    this.announce(server.url)
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    await server.close()
    clearServerInfoIfOwn(dataDir, process.pid)
    this.out(`Local MEGA server stopped (${signal})`)
    return {url: server.url, port: server.port, pid: process.pid, dataDir, foreground: true}
  }

  private announce(url: string): void {
    this.out(`Local MEGA server listening on ${url}`)
    this.out(`export MEGA_API_URL=${url}`)
  }
}
