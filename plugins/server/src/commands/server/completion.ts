import {Args} from '@oclif/core'
import {completeLine, completeWords, MegaCommand, splitLine} from '@mega-shell/core'
import {completionSources} from '../../shell/completion-sources.js'

export interface CompletionResult {
  candidates: string[]
}

export default class Completion extends MegaCommand<CompletionResult> {
  static override hidden = true
  static override summary = 'Print the completions of a command line, one per line (for shell completion scripts)'
  static override description = `MEGAcmd's "mega-exec completion": the words typed so far, the last one being completed ("" for a new
word), after "--" so that their flags are not this command's. One argument is taken as a whole line.
Reads the cache only: no network. completion/mega-shell.bash calls it for the mega-<cmd> commands.`
  static override aliases = ['completion']
  static override strict = false
  static override args = {words: Args.string({description: 'the words typed so far, or the whole line'})}
  static override examples = ['<%= config.bin %> completion -- ls /fo', '<%= config.bin %> completion "get /My fo"']

  async run(): Promise<CompletionResult> {
    const {argv} = await this.parse(Completion)
    const words = argv as string[]
    const sources = completionSources(this.config, this.context, () => this.resolver())
    // Each word comes as typed (bash's COMP_WORDS keep quotes and backslashes): its value is what a command sees.
    const candidates = words.length === 1
      ? completeLine(words[0], sources).candidates
      : completeWords(words.map((word) => splitLine(word).map((w) => w.value).join(' ')), sources)
    this.outLines(candidates)
    return {candidates}
  }
}
