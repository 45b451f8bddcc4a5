import {MegaCommand, ServerNotRunningError} from '@mega-shell/core'
import {connectToServer, type DaemonStatus, requestService} from '@mega-shell/core/daemon'
import {statusLines} from '../../status/status-lines.js'

export type StatusResult = {running: false} | ({running: true} & DaemonStatus)

export default class Status extends MegaCommand<StatusResult> {
  static override summary = 'Show the background server: pid, socket, uptime, live feed, running commands, services'
  static override description = `Running commands are listed by name only (their arguments may hold a password).
Exit 0 whether or not a server runs; with --json, "running" says which.`
  static override examples = ['<%= config.bin %> server:status', '<%= config.bin %> server:status --json']

  async run(): Promise<StatusResult> {
    await this.parse(Status)
    let connection
    try {
      connection = await connectToServer({anyBuild: true})
    } catch (error) {
      if (!(error instanceof ServerNotRunningError)) throw error
      this.out(error.message)
      return {running: false}
    }
    try {
      const status = (await requestService(connection, 1, 'server', 'status')) as unknown as DaemonStatus
      for (const line of statusLines(status)) this.out(line)
      return {running: true, ...status}
    } finally {
      connection.close()
    }
  }
}
