import {type LogLevels, MegaCommand} from '@mega-shell/core'
import {logLevelLines} from '../../logging/log-level-lines.js'
import {serverLogLevels} from '../../logging/log-levels-call.js'

export default class Debug extends MegaCommand<LogLevels> {
  static override summary = 'Set both logs of the background server to VERBOSE (MEGAcmd debug)'
  static override description = 'The same as "mega log VERBOSE" (MEGAcmd runs "log 5"); "mega log INFO" goes back.'
  static override aliases = ['debug']
  static override examples = ['<%= config.bin %> debug']

  async run(): Promise<LogLevels> {
    await this.parse(Debug)
    const levels = await serverLogLevels({cmd: 'verbose', sdk: 'verbose'})
    for (const line of logLevelLines(levels, {cmd: true, sdk: true})) this.out(line)
    return levels
  }
}
