import {MegaCommand} from '@mega-shell/core'

export interface WhoamiResult {
  email: string
  userHandle: string
  name?: string
}

export default class Whoami extends MegaCommand<WhoamiResult> {
  static override summary = 'Print the email of the logged-in account'
  static override aliases = ['whoami']

  async run(): Promise<WhoamiResult> {
    await this.parse(Whoami)
    const session = this.context.requireSession()
    this.out(`Account e-mail: ${session.email}`)
    return {email: session.email, userHandle: session.userHandle, name: session.name}
  }
}
