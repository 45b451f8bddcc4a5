import {Flags} from '@oclif/core'
import {MegaArgs, MegaCommand, printable, timeFormatFlag, timeFormatter, UsageError} from '@mega-shell/core'
import {contactName, listContacts, removeContact, visibilityText} from '../../contacts/contact-list.js'

export interface UserEntry {
  email: string
  handle: string
  visibility: string
  /** "Contact since" (unix seconds), when known. */
  since?: number
  /** With -n: "First Last". */
  name?: string
}

export interface UsersResult {
  contacts: UserEntry[]
  /** With -d: the email removed. */
  removed?: string
}

export default class Users extends MegaCommand<UsersResult> {
  static override summary = 'List contacts, or remove one (-d)'
  static override description = `One line per contact: "[First Last] email. Contact since <date>. Visible" (the name with -n).
-h also lists hidden (removed), inactive and blocked users. -s would add the folders shared with and by
each contact; sharing with users is not available yet, so it adds nothing.`
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
    // Every name request issued together travels in one `cs` batch, however many contacts there are.
    const names = flags.names ? await Promise.all(users.map((user) => contactName(ctx, user))) : []
    const contacts: UserEntry[] = []
    for (const [i, user] of users.entries()) {
      const entry: UserEntry = {email: user.email, handle: user.handle, visibility: visibilityText(user.visibility), ...(user.ts ? {since: user.ts} : {})}
      if (names[i]) entry.name = names[i]
      // megacmdexecuter.cpp "users": "[name] " with -n, the email, ". Contact since <date>" when known, ". <visibility>".
      const since = user.ts ? `. Contact since ${time(user.ts)}` : ''
      this.out(`${entry.name ? `[${printable(entry.name)}] ` : ''}${printable(user.email)}${since}. ${entry.visibility}`)
      contacts.push(entry)
    }
    return {contacts}
  }
}
