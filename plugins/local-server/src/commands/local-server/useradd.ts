import {Flags} from '@oclif/core'
import {dataFlag, CommandError, ExitCode, localServerHome, MegaArgs, MegaCommand, parseSizeText, UsageError} from '@mega-shell/core'
import {
  AccountExistsError, createAccount, DEFAULT_STORAGE_MAX, DEFAULT_TRANSFER_MAX, EmptyPasswordError, InvalidEmailError,
} from '../../server/accounts/account-factory.js'

export interface UseraddResult {
  email: string
  userHandle: string
  version: 1 | 2
  dataDir: string
  /** Bytes the account may store. */
  storageQuota: number
  /** Bytes the account may download within six hours. */
  transferQuota: number
}

export default class Useradd extends MegaCommand<UseraddResult> {
  static override summary = 'Create a confirmed account on the local server'
  static override description = 'Writes straight into the data folder, so it works whether or not the server is running.'
  static override examples = [
    "<%= config.bin %> local-server:useradd alice@example.com 'correct horse' --name 'Alice A'",
    '<%= config.bin %> local-server:useradd old@example.com secret --v1',
    '<%= config.bin %> local-server:useradd small@example.com secret --storage-quota=100M --transfer-quota=1048576',
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
    'storage-quota': Flags.string({
      description: 'bytes the account may store (uploads beyond it answer EOVERQUOTA): a number of bytes, or a size as MEGAcmd writes it (100M, 1G512M; K M G T are 1024-based, T is 2^50 as in MEGAcmd); default 20G',
    }),
    'transfer-quota': Flags.string({
      description: 'bytes the account may download within six hours (downloads beyond it answer HTTP 509): bytes or a size as for --storage-quota; default 10 TiB',
    }),
  }

  async run(): Promise<UseraddResult> {
    const {args, flags} = await this.parse(Useradd)
    const dataDir = flags.data ?? localServerHome()
    const storageMax = quotaBytes('--storage-quota', flags['storage-quota']) ?? DEFAULT_STORAGE_MAX
    const transferMax = quotaBytes('--transfer-quota', flags['transfer-quota']) ?? DEFAULT_TRANSFER_MAX
    try {
      const account = await createAccount(dataDir, {
        email: args.email, password: args.password, name: flags.name, version: flags.v1 ? 1 : 2, totpSecret: flags['totp-secret'],
        proLevel: flags['pro-level'], storageMax, transferMax,
      })
      this.out(`Account created: ${account.email} (user handle ${account.userHandle}, login v${account.version})`)
      return {email: account.email, userHandle: account.userHandle, version: account.version, dataDir, storageQuota: storageMax, transferQuota: transferMax}
    } catch (error) {
      if (error instanceof AccountExistsError) throw new CommandError(error.message, ExitCode.EXISTS)
      if (error instanceof InvalidEmailError) throw new CommandError(error.message, ExitCode.INVALIDEMAIL)
      if (error instanceof EmptyPasswordError) throw new UsageError(error.message)
      throw error
    }
  }
}

/**
 * A quota flag's bytes: plain digits, or MEGAcmd's size text (parseSizeText: `<integer><unit>` runs, units B K M G T,
 * binary multiples) as `find --size` takes it. Anything else is a usage error.
 */
function quotaBytes(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const bytes = /^\d+$/.test(text) ? Number(text) : parseSizeText(text)
  if (bytes === undefined || text === '' || !Number.isSafeInteger(bytes)) {
    throw new UsageError(`Invalid ${flag}: ${text} (a number of bytes, or a size such as 10M or 1G)`)
  }
  return bytes
}
