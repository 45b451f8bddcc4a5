import {Flags} from '@oclif/core'
import {
  type AccountQuota, type AccountSession, fetchQuota, fixLengthString, formatCTime, listSessions, MegaCommand, NodeType, printable, sizeToText,
} from '@mega-shell/core'

export interface WhoamiResult {
  email: string
  userHandle: string
  name?: string
  /** With -l. */
  quota?: AccountQuota
  /** With -l: the live sessions. */
  sessions?: AccountSession[]
}

export default class Whoami extends MegaCommand<WhoamiResult> {
  static override summary = 'Print the email of the logged-in account'
  static override description = 'With -l also the storage use, the pro level and the active sessions (their ids are what "mega killsession" takes).'
  static override aliases = ['whoami']
  static override flags = {
    long: Flags.boolean({char: 'l', description: 'show account details and active sessions'}),
  }

  async run(): Promise<WhoamiResult> {
    const {flags} = await this.parse(Whoami)
    const ctx = this.context
    const session = ctx.requireSession()
    this.out(`Account e-mail: ${session.email}`)
    const result: WhoamiResult = {email: session.email, userHandle: session.userHandle, name: session.name}
    if (!flags.long) return result
    const [quota, sessions] = await Promise.all([fetchQuota(ctx.api), listSessions(ctx.api)])
    const alive = sessions.filter((s) => s.alive)
    this.printDetails(quota, alive)
    return {...result, quota, sessions: alive}
  }

  /** MEGAcmd's layout (MegaCmdExecuter::actUponGetExtendedAccountDetails), sizes as "<size>ytes". */
  private printDetails(quota: AccountQuota, sessions: AccountSession[]): void {
    const size = (bytes: number, width: number) => fixLengthString(sizeToText(bytes), width, true)
    const count = (n: number) => fixLengthString(String(n), 5, true)
    this.out(`    Available storage: ${size(quota.storageMax, 9)}ytes`)
    const roots: Array<[string, NodeType.ROOT | NodeType.INBOX | NodeType.RUBBISH]> = [['In ROOT:      ', NodeType.ROOT], ['In INBOX:     ', NodeType.INBOX], ['In RUBBISH:   ', NodeType.RUBBISH]]
    for (const [label, type] of roots) {
      const node = this.context.nodes.root(type)
      if (!node) continue
      const usage = quota.roots[node.handle] ?? {bytes: 0, files: 0, folders: 0}
      this.out(`        ${label}${size(usage.bytes, 9)}ytes in ${count(usage.files)} file(s) and ${count(usage.folders)} folder(s)`)
    }
    const versions = Object.values(quota.roots).reduce((sum, r) => sum + r.versionBytes, 0)
    this.out(`        Total size taken up by file versions: ${size(versions, 12)}ytes`)
    this.out(`    Pro level: ${quota.proLevel}`)
    if (quota.proLevel && quota.proUntil) this.out(`        Pro expiration date: ${formatCTime(quota.proUntil)}`)
    this.out(`    Subscription type: ${quota.subscriptionMethod}`)
    this.out('    Account balance:')
    // MEGAcmd prints "Balance:" twice (its sprintf already starts with it).
    for (const {amount, currency} of quota.balances) this.out(`    Balance:     Balance: ${currency.slice(0, 3)} ${amount.toFixed(2)}`)
    this.out('Current Active Sessions:')
    for (const s of sessions) {
      if (s.current) this.out('    * Current Session')
      this.out(`    Session ID: ${s.id}`)
      this.out(`    Session start: ${formatCTime(s.created)}`)
      this.out(`    Most recent activity: ${formatCTime(s.lastUsed)}`)
      this.out(`    IP: ${s.ip}`)
      this.out(`    Country: ${s.country.slice(0, 2)}`)
      this.out(`    User-Agent: ${printable(s.userAgent)}`)
      this.out('    -----')
    }
    if (sessions.length) this.out(`${sessions.length} active sessions opened`)
  }
}
