import {Flags} from '@oclif/core'
import {dataFlag, InterruptedError, localServerHome, MegaCommand} from '@mega-shell/core'
import {launchDetached} from '../../control/launcher.js'
import {runningServer} from '../../control/server-info.js'
import {ServerRunningError} from '../../server/server-lock.js'
import {DEFAULT_HOST, DEFAULT_PORT, startServer} from '../../server/start-server.js'
import {listeningLine} from '../../server/startup-report.js'

export interface StartResult {
  url: string
  port: number
  pid: number
  dataDir: string
  foreground: boolean
}

export default class Start extends MegaCommand<StartResult> {
  static override summary = 'Start the local MEGA-compatible API server'
  static override description = `By default the server runs in the background (log in DIR/server.log, state in DIR/server.json)
until local-server:stop. Point clients at it with MEGA_API_URL. One server runs per data folder; every file
it writes there is owner-only (0600, folders 0700).

When it cannot start it prints one line and exits with:
  51  bad arguments: a --host that is unknown or not an address of this machine
  54  the port is in use, or a server already runs on the data folder
  55  the data folder is a file
  56  not permitted (the data folder cannot be created, or the port needs privileges)

After 10 wrong passwords for one account within an hour, that account's logins answer ETOOMANY (-6) for an
hour, as MEGA does; MEGA_LOCAL_SERVER_LOGIN_THROTTLE=<attempts>/<seconds> changes that (0 turns it off).`
  static override examples = [
    '<%= config.bin %> local-server:start',
    '<%= config.bin %> local-server:start --port 0 --data ./demo-data',
    '<%= config.bin %> local-server:start --foreground',
  ]
  static override flags = {
    port: Flags.integer({description: 'TCP port (0 picks a free one)', default: DEFAULT_PORT, min: 0, max: 65535}),
    host: Flags.string({description: 'address to bind', default: DEFAULT_HOST}),
    data: dataFlag,
    foreground: Flags.boolean({description: 'run in this process until SIGINT/SIGTERM'}),
  }

  async run(): Promise<StartResult> {
    const {flags} = await this.parse(Start)
    const dataDir = flags.data ?? localServerHome()
    const existing = runningServer(dataDir)
    if (existing) throw new ServerRunningError(dataDir, existing)
    if (flags.foreground) return this.runForeground(dataDir, flags.port, flags.host)
    const info = await launchDetached({dataDir, port: flags.port, host: flags.host})
    this.announce(info.url)
    return {url: info.url, port: info.port, pid: info.pid, dataDir, foreground: false}
  }

  private async runForeground(dataDir: string, port: number, host: string): Promise<StartResult> {
    // This process is the server now: what it writes holds login hashes and keys (main.ts does the same).
    process.umask(0o077)
    const server = await startServer({dataDir, port, host})
    this.announce(server.url)
    // Claiming the command's interrupt turns Ctrl-C/SIGTERM into a clean stop instead of an immediate exit.
    const interrupt = this.interrupt
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      interrupt.addEventListener('abort', () => resolve(interrupt.reason instanceof InterruptedError ? interrupt.reason.signal : 'SIGTERM'), {once: true})
    })
    await server.close()
    this.out(`Local MEGA server stopped (${signal})`)
    return {url: server.url, port: server.port, pid: process.pid, dataDir, foreground: true}
  }

  private announce(url: string): void {
    this.out(listeningLine(url))
    this.out(`export MEGA_API_URL=${url}`)
  }
}
