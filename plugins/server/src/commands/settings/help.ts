import {Args, Flags, loadHelpClass} from '@oclif/core'
import {MegaCommand} from '@mega-shell/core'
import {type ListedCommand, listedCommands} from '../../help/command-names.js'
import {commandColumns, commandSummaries, HELP_INTRO, HELP_OUTRO} from '../../help/help-text.js'

export interface HelpResult {
  commands: ListedCommand[]
}

export default class Help extends MegaCommand<HelpResult | undefined> {
  static override summary = 'List the commands, in MEGAcmd\'s layout (MEGAcmd help); "help <command>" shows one'
  static override description = `Without arguments: MEGAcmd's introduction and every command of every plugin, under the names MEGAcmd users
type; -f adds each one's usage and summary. "help <command>" (or "<command> --help") prints that command's
full help, as oclif's help does.`
  static override aliases = ['help']
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help -f', '<%= config.bin %> help ls']
  static override strict = false
  static override flags = {
    full: Flags.boolean({char: 'f', description: 'one line per command: its usage and summary'}),
  }
  static override args = {
    command: Args.string({description: 'the command to show the full help of'}),
  }

  async run(): Promise<HelpResult | undefined> {
    const {flags, argv} = await this.parse(Help)
    if (argv.length > 0) {
      // `help ls`, `help server start`: oclif's help of that command (what `ls --help` prints).
      const OclifHelp = await loadHelpClass(this.config)
      await new OclifHelp(this.config, this.config.pjson.oclif.helpOptions).showHelp(argv as string[])
      return undefined
    }
    const commands = listedCommands(this.config)
    const lines = [...HELP_INTRO, '', 'Commands:', ...(flags.full ? commandSummaries(commands) : commandColumns(commands.map((c) => c.name))), '', HELP_OUTRO]
    this.outLines(lines)
    return {commands}
  }
}
