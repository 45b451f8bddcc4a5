import {Flags} from '@oclif/core'
import {dataFlag, CommandError, ExitCode, localServerHome, MegaArgs, MegaCommand, UsageError} from '@mega-shell/core'
import {AccountExistsError, createAccount, EmptyPasswordError, InvalidEmailError} from '../../server/accounts/account-factory.js'

export interface UseraddResult {
  email: string
  userHandle: string
  version: 1 | 2
  dataDir: string
}

export default class Useradd extends MegaCommand<UseraddResult> {
  static override summary = 'Create a confirmed account on the local server'
  static override description = 'Writes straight into the data folder, so it works whether or not the server is running.'
  static override examples = [
    "<%= config.bin %> local-server:useradd alice@example.com 'correct horse' --name 'Alice A'",
    '<%= config.bin %> local-server:useradd old@example.com secret --v1',
  ]
  static override args = {
    email: MegaArgs.string({description: 'login email (stored lower-cased)', required: true}),
    password: MegaArgs.string({description: 'password (not empty)', required: true}),
  }
  static override flags = {
    name: Flags.string({description: 'display name'}),
    data: dataFlag,
    v1: Flags.boolean({description: 'make a legacy (v1) account instead of v2'}),
    'totp-secret': Flags.string({description: 'base32 TOTP secret: logins then need a two-factor code'}),
    'pro-level': Flags.integer({description: 'PRO level: 0 free (default), 1-3 PRO I-III, 4 PRO Lite', min: 0, max: 4}),
  }

  async run(): Promise<UseraddResult> {
    const {args, flags} = await this.parse(Useradd)
    const dataDir = flags.data ?? localServerHome()
    try {
      const account = await createAccount(dataDir, {
        email: args.email, password: args.password, name: flags.name, version: flags.v1 ? 1 : 2, totpSecret: flags['totp-secret'],
        proLevel: flags['pro-level'],
      })
      this.out(`Account created: ${account.email} (user handle ${account.userHandle}, login v${account.version})`)
      return {email: account.email, userHandle: account.userHandle, version: account.version, dataDir}
    } catch (error) {
      if (error instanceof AccountExistsError) throw new CommandError(error.message, ExitCode.EXISTS)
      if (error instanceof InvalidEmailError) throw new CommandError(error.message, ExitCode.INVALIDEMAIL)
      if (error instanceof EmptyPasswordError) throw new UsageError(error.message)
      throw error
    }
  }
}
