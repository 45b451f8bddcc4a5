import {b64decode, encodeSessionString, MegaCommand} from '@mega-shell/core'

export interface SessionResult {
  session: string
}

export default class Session extends MegaCommand<SessionResult> {
  static override summary = 'Print the (secret) session string'
  static override description = 'Anyone with this string can use the account: "mega login <session>" resumes it.'
  static override aliases = ['session']

  async run(): Promise<SessionResult> {
    await this.parse(Session)
    const session = this.context.requireSession()
    const text = encodeSessionString(b64decode(session.masterKey), session.sid)
    this.out(`Your (secret) session is: ${text}`)
    return {session: text}
  }
}
