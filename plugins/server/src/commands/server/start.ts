import {CommandError, megaHome, MegaCommand} from '@mega-shell/core'
import {launchServer, reachServer, ServerRunningError, socketPathFor} from '@mega-shell/core/daemon'

export interface StartResult {
  pid: number
  socket: string
}

export default class Start extends MegaCommand<StartResult> {
  static override summary = 'Start the background server'
  static override description = `Starts the profile's server in the background (it outlives this terminal) and waits until it listens.
The mega-<cmd> commands do this by themselves when it is not running. A server of an older build is replaced.
Exits with 54 when a server already runs for the profile (the message says its pid and socket).`
  static override examples = ['<%= config.bin %> server:start']

  async run(): Promise<StartResult> {
    await this.parse(Start)
    const home = megaHome()
    const socket = socketPathFor(home)
    const options = {root: this.config.root, home, env: process.env}
    const reach = await reachServer({...options, autoStart: false})
    if (reach.kind === 'connected') {
      reach.connection.close()
      throw new ServerRunningError(reach.connection.hello.pid, socket)
    }
    if (reach.kind === 'unavailable') throw new CommandError(reach.reason, reach.exitCode)
    const report = await launchServer(options)
    if (report.type === 'running') throw new ServerRunningError(report.pid, socket)
    if (report.type === 'failed') throw new CommandError(report.message, report.exitCode)
    this.out(`mega-shell server started (pid ${report.pid}, socket ${report.socket})`)
    return {pid: report.pid, socket: report.socket}
  }
}
