import {askSecret, checkedPassword, CommandError, confirmAccount, decodeSignupLink, ExitCode, failedTo, MegaArgs, MegaCommand, passwordFromEnvironment} from '@mega-shell/core'

export interface ConfirmResult {
  email: string
  name: string
  userHandle: string
}

export default class Confirm extends MegaCommand<ConfirmResult> {
  static override summary = 'Confirm an account with the link mailed after "mega signup"'
  static override description = `It requires the email and the password used at signup (asked on a terminal when not given). The password is
checked before anything changes: a wrong one leaves the account unconfirmed.`
  static override aliases = ['confirm']
  static override examples = ['<%= config.bin %> confirm "https://mega.nz/#confirm…" bob@example.com "pass w0rd"']
  static override args = {
    link: MegaArgs.string({description: 'confirmation link (https://mega.nz/#confirm…)', required: true}),
    email: MegaArgs.string({description: 'email the account was created with', required: true}),
    password: MegaArgs.string({description: 'password (or MEGA_PASSWORD; asked on a terminal when missing)'}),
  }

  async run(): Promise<ConfirmResult> {
    const {args} = await this.parse(Confirm)
    let link
    try {
      link = decodeSignupLink(args.link)
    } catch (error) {
      throw failedTo('check email corresponds to link', error)
    }
    if (link.email.toLowerCase() !== args.email.trim().toLowerCase()) {
      throw new CommandError(`${args.email} doesn't correspond to the confirmation link: ${args.link}`, ExitCode.INVALIDEMAIL)
    }
    const password = checkedPassword(args.password ?? passwordFromEnvironment('MEGA_PASSWORD') ?? (await askSecret('Password:', 'password')))
    const confirmed = await confirmAccount(this.context.api.apiUrl, link, password)
    this.out(`Account ${args.email} confirmed successfully. You can login with it now`)
    return confirmed
  }
}
