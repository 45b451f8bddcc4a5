import {markMasterKeyExported, MegaArgs, MegaCommand} from '@mega-shell/core'

export interface MasterKeyResult {
  masterKey: string
}

export default class MasterKey extends MegaCommand<MasterKeyResult> {
  static override summary = 'Print the account Recovery Key (master key)'
  static override description = `All your data is decrypted through a chain that starts with this key, which MEGA stores encrypted with your
password: with the key exported and kept safe, a new password can be set without data loss. Keep it under your
physical control. The account records that it was exported. "pathtosave" is accepted and ignored, as MEGAcmd does.`
  static override aliases = ['masterkey']
  static override args = {
    pathtosave: MegaArgs.string({description: 'ignored (MEGAcmd compatibility)'}),
  }

  async run(): Promise<MasterKeyResult> {
    await this.parse(MasterKey)
    const ctx = this.context
    const session = ctx.requireSession()
    this.out(session.masterKey)
    try {
      await markMasterKeyExported(ctx.api, session.userHandle)
    } catch (error) {
      // MEGAcmd does not wait for this either (api->masterKeyExported): the key is printed all the same.
      this.verbose(`could not record the export in ^!prd: ${(error as Error).message}`)
    }
    return {masterKey: session.masterKey}
  }
}
