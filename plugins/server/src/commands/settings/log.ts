import {Args, Flags} from '@oclif/core'
import {CommandError, ExitCode, type LogLevels, MegaCommand} from '@mega-shell/core'
import {LOG_LEVELS, parseLogLevel} from '@mega-shell/core/daemon'
import {logLevelLines} from '../../logging/log-level-lines.js'
import {serverLogLevels} from '../../logging/log-levels-call.js'

export default class Log extends MegaCommand<LogLevels> {
  static override summary = 'Print or set the levels of the background server\'s log (MEGAcmd log)'
  static override description = `Two levels, as in MEGAcmd: -c the server's own events (commands, the live feed, services; MEGAcmd's log),
-s the API requests its commands send (the SDK log in MEGAcmd); neither flag: both. A level is a name
(${LOG_LEVELS.map((l) => l.toUpperCase()).join(', ')}) or its number 0-5. Set levels apply at once and are kept
in the profile. The log is server.log in the profile folder (see "mega server:status"), rotated past 4 MiB.`
  static override aliases = ['log']
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log -c VERBOSE', '<%= config.bin %> log -s 4']
  static override flags = {
    cmd: Flags.boolean({char: 'c', description: 'the server\'s own log only'}),
    sdk: Flags.boolean({char: 's', description: 'the API log only'}),
  }
  static override args = {
    level: Args.string({description: 'the level to set'}),
  }

  async run(): Promise<LogLevels> {
    const {flags, args} = await this.parse(Log)
    const which = flags.cmd || flags.sdk ? {cmd: flags.cmd, sdk: flags.sdk} : {cmd: true, sdk: true}
    let change: Partial<LogLevels> = {}
    if (args.level !== undefined) {
      const level = parseLogLevel(args.level)
      // MEGAcmd's message and code (MEGAcmd src/megacmdexecuter.cpp "log").
      if (!level) throw new CommandError('Invalid log level', ExitCode.EARGS)
      change = {...(which.cmd ? {cmd: level} : {}), ...(which.sdk ? {sdk: level} : {})}
    }
    const levels = await serverLogLevels(change)
    for (const line of logLevelLines(levels, which)) this.out(line)
    return levels
  }
}
