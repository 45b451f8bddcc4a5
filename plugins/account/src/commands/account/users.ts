import {Flags} from '@oclif/core'
import {MegaArgs, MegaCommand, printable, timeFormatFlag, timeFormatter, UsageError} from '@mega-shell/core'
import {contactName, listContacts, removeContact, visibilityText} from '../../contacts/contact-list.js'
import {type ContactShare, contactShares} from '../../contacts/contact-shares.js'

export interface UserEntry {
  email: string
  handle: string
  visibility: string
  /** "Contact since" (unix seconds), when known. */
  since?: number
  /** With -n: "First Last". */
  name?: string
  /** With -s: our folders shared with the contact, and its folders shared with us. */
  sharedWith?: ContactShare[]
  sharedBy?: ContactShare[]
}

export interface UsersResult {
  contacts: UserEntry[]
  /** With -d: the email removed. */
  removed?: string
}

export default class Users extends MegaCommand<UsersResult> {
  static override summary = 'List contacts, or remove one (-d)'
  static override description = `One line per contact: "[First Last] email. Contact since <date>. Visible" (the name with -n).
-h also lists hidden (removed), inactive and blocked users. -s adds, under each contact, the folders shared
with it ("> Folders shared with <who>:") and by it ("> Folders shared by <who>:"), as MEGAcmd prints them.`
  static override aliases = ['users']
  static override examples = ['<%= config.bin %> users -n', '<%= config.bin %> users -d bob@example.com']
  static override args = {email: MegaArgs.string({description: 'with -d: the contact to remove'})}
  static override flags = {
    shares: Flags.boolean({char: 's', description: 'show folders shared with and by each contact'}),
    hidden: Flags.boolean({char: 'h', description: 'also list hidden, inactive and blocked users'}),
    names: Flags.boolean({char: 'n', description: 'show names'}),
    delete: Flags.boolean({char: 'd', description: 'remove the contact given as argument'}),
    'time-format': timeFormatFlag,
  }

  async run(): Promise<UsersResult> {
    const {args, flags} = await this.parse(Users)
    if (flags.delete && !args.email) throw new UsageError('Contact to delete not specified')
    const ctx = this.context
    await ctx.readyAccount()
    if (flags.delete) {
      // Unlike MEGAcmd, which also lists the other contacts in the same run, -d only removes.
      const removed = await removeContact(ctx, args.email!)
      this.out(`Contact ${args.email} removed successfully`)
      return {contacts: [], removed: removed.email}
    }
    const time = timeFormatter(flags['time-format'])
    const users = listContacts(ctx, flags.hidden)
    const resolver = flags.shares ? this.resolver() : undefined
    // Every name request issued together travels in one `cs` batch, however many contacts there are.
    const names = flags.names ? await Promise.all(users.map((user) => contactName(ctx, user))) : []
    const contacts: UserEntry[] = []
    for (const [i, user] of users.entries()) {
      const entry: UserEntry = {email: user.email, handle: user.handle, visibility: visibilityText(user.visibility), ...(user.ts ? {since: user.ts} : {})}
      if (names[i]) entry.name = names[i]
      // megacmdexecuter.cpp "users": "[name] " with -n, the email, ". Contact since <date>" when known, ". <visibility>".
      const since = user.ts ? `. Contact since ${time(user.ts)}` : ''
      this.out(`${entry.name ? `[${printable(entry.name)}] ` : ''}${printable(user.email)}${since}. ${entry.visibility}`)
      if (resolver) {
        const shares = contactShares(ctx, resolver, user, entry.name ?? user.email)
        for (const line of shares.lines) this.out(printable(line))
        Object.assign(entry, {sharedWith: shares.sharedWith, sharedBy: shares.sharedBy})
      }
      contacts.push(entry)
    }
    return {contacts}
  }
}
