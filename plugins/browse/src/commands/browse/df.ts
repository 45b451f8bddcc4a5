import {Flags} from '@oclif/core'
import {type AccountQuota, fetchQuota, MegaCommand, NodeType} from '@mega-shell/core'
import {dfLines} from '../../usage/df-report.js'

export interface DfResult {
  quota: AccountQuota
}

export default class Df extends MegaCommand<DfResult> {
  static override summary = 'Show the account\'s storage use'
  static override description = `The bytes, files and folders of the cloud drive, the inbox (vault) and the rubbish bin, the storage used
against the account's maximum, and the bytes taken by old file versions, as the server counts them.`
  static override aliases = ['df']
  static override usage = 'df [-h]'
  static override examples = ['<%= config.bin %> df', '<%= config.bin %> df -h']
  static override flags = {
    human: Flags.boolean({char: 'h', description: 'human-readable sizes'}),
  }

  async run(): Promise<DfResult> {
    const {flags} = await this.parse(Df)
    await this.context.readyAccount()
    const quota = await fetchQuota(this.context.api)
    const roots = {root: this.context.root().handle, inbox: this.context.root(NodeType.INBOX).handle, rubbish: this.context.root(NodeType.RUBBISH).handle}
    for (const line of dfLines(quota, roots, Boolean(flags.human))) this.out(line)
    return {quota}
  }
}
