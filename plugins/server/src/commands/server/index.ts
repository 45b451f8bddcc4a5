import {Flags} from '@oclif/core'
import {InterruptedError, megaHome, MegaCommand} from '@mega-shell/core'
import {LOG_LEVELS, type LogLevel, startDaemon} from '@mega-shell/core/daemon'

export interface ServerResult {
  pid: number
  socket: string
}

export default class Server extends MegaCommand<ServerResult> {
  static override summary = 'Run the background server in the foreground'
  static override description = `The server the mega-<cmd> commands run in (MEGAcmd's mega-cmd-server): it keeps the session and a
live copy of the account's tree, runs several clients' commands at once, and hosts the plugins' services.
The mega-<cmd> commands start it in the background when it is not running; this command runs it here,
with its log on stderr, until Ctrl-C, SIGTERM, "mega quit" or "mega server:stop".
One server runs per profile (MEGA_SHELL_HOME): a second one exits with 54.`
  static override aliases = ['cmd-server']
  static override examples = ['<%= config.bin %> server', '<%= config.bin %> server --log-level=debug']
  static override flags = {
    'log-level': Flags.option({options: LOG_LEVELS, description: 'what the log records (default: info)'})(),
  }

  async run(): Promise<ServerResult> {
    const {flags} = await this.parse(Server)
    // Claimed: Ctrl-C and SIGTERM stop the server cleanly (its commands end with 130) instead of killing it.
    const interrupt = this.interrupt
    const daemon = await startDaemon({
      root: this.config.root, home: megaHome(), config: this.config, logLevel: flags['log-level'] as LogLevel | undefined,
      echo: (line) => process.stderr.write(line),
    })
    this.out(`mega-shell server listening on ${daemon.socket} (pid ${process.pid})`)
    interrupt.addEventListener('abort', () => {
      void daemon.stop(interrupt.reason instanceof InterruptedError ? interrupt.reason.signal : 'interrupted')
    }, {once: true})
    await daemon.stopped
    this.out('mega-shell server stopped')
    return {pid: process.pid, socket: daemon.socket}
  }
}
