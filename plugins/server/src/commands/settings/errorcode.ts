import {Args} from '@oclif/core'
import {CommandError, errorCodeText, ExitCode, MegaCommand} from '@mega-shell/core'

export interface ErrorcodeResult {
  code: number
  text: string
}

export default class Errorcode extends MegaCommand<ErrorcodeResult> {
  static override summary = 'Translate an exit code or an API error number into its text (MEGAcmd errorcode)'
  static override description = `Sign-insensitive: 53 and -53 are MEGAcmd's "Resource not found", 9 and -9 the API's ENOENT "Not found".
MEGAcmd's own codes (0, 51-60) are tried first, then the API's. A negative number may need "--" before it
only where a shell or script would take it for a flag; "mega errorcode -9" works as it is.`
  static override aliases = ['errorcode']
  static override examples = ['<%= config.bin %> errorcode 53', '<%= config.bin %> errorcode -9']
  // `-9` is an argument here, not an unknown flag (MEGAcmd's own parser takes it for a flag and fails with 51).
  static override strict = false
  static override args = {
    number: Args.string({description: 'the code', required: true}),
  }

  async run(): Promise<ErrorcodeResult> {
    const {args} = await this.parse(Errorcode)
    const text = args.number.trim()
    // MEGAcmd's message (MEGAcmd src/megacmdexecuter.cpp "errorcode"), though its stream parser reads "abc" as 0.
    if (!/^[+-]?\d{1,9}$/.test(text)) throw new CommandError(`Invalid error code: ${args.number}`, ExitCode.EARGS)
    const code = Number(text)
    const result = {code, text: errorCodeText(code)}
    this.out(result.text)
    return result
  }
}
