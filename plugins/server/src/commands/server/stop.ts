import {MegaCommand} from '@mega-shell/core'
import {stopServer} from '@mega-shell/core/daemon'

export interface StopResult {
  /** The pid of the server stopped; absent when none was running. */
  pid?: number
}

export default class Stop extends MegaCommand<StopResult> {
  static override summary = 'Stop the background server'
  static override description = `Its running commands are interrupted (they end with 130, leaving no partial file), its services stop;
the session and the cache stay for the next start. Nothing to do (exit 0) when no server runs.`
  static override examples = ['<%= config.bin %> server:stop']

  async run(): Promise<StopResult> {
    await this.parse(Stop)
    const pid = await stopServer()
    this.out(pid ? `mega-shell server stopped (pid ${pid})` : 'No mega-shell server is running for this profile')
    return pid ? {pid} : {}
  }
}
