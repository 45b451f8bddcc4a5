import {Flags} from '@oclif/core'
import {checkedPassword, CommandError, createAccount, ExitCode, failedTo, isValidEmail, MegaArgs, MegaCommand, passwordFromEnvironment, splitFullName} from '@mega-shell/core'
import {askNewPassword} from '../../prompts/new-password.js'

export interface SignupResult {
  email: string
  firstname: string
  lastname: string
  userHandle: string
}

export default class Signup extends MegaCommand<SignupResult> {
  static override summary = 'Register a new account with an email'
  static override description = `Creates the account and has a confirmation link mailed to the email; confirm it with "mega confirm".
The name must have a first name and a surname separated by a space; without --name it is the email with "@"
replaced by a space. The password is asked twice on a terminal when not given.

Keep the password or an exported Recovery Key ("mega masterkey"): without either the data cannot be decrypted.`
  static override aliases = ['signup']
  static override examples = ['<%= config.bin %> signup bob@example.com "pass w0rd" --name="Bob Smith"']
  static override args = {
    email: MegaArgs.string({description: 'email address of the new account', required: true}),
    password: MegaArgs.string({description: 'password (or MEGA_PASSWORD; asked twice on a terminal when missing)'}),
  }
  static override flags = {
    name: Flags.string({description: 'full name: "First Last"'}),
  }

  async run(): Promise<SignupResult> {
    const {args, flags} = await this.parse(Signup)
    const ctx = this.context
    if (ctx.session) throw new CommandError('Please logout first', ExitCode.INVALIDSTATE)
    const email = args.email.trim()
    if (!isValidEmail(email)) throw new CommandError(`No valid email provided: ${email}`, ExitCode.INVALIDEMAIL)
    const {first: firstname, last: lastname} = splitFullName(flags.name ?? email.replace(/@/g, ' '))
    if (!lastname) throw new CommandError('Please provide a valid name (with name and surname separated by " ")', ExitCode.INVALIDSTATE)
    const password = checkedPassword(args.password ?? passwordFromEnvironment('MEGA_PASSWORD') ?? (await askNewPassword()))
    this.out(`Signing up. name=${firstname}. surname=${lastname}`)
    let created
    try {
      created = await createAccount(ctx.api.apiUrl, {email, password, firstname, lastname})
    } catch (error) {
      throw failedTo(`create account <${email}>`, error)
    }
    this.out(`Account <${email}> created successfully. You will receive a confirmation link. Use "confirm" with the provided link to confirm that account`)
    return {email, firstname, lastname, userHandle: created.userHandle}
  }
}
