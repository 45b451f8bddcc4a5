import {Flags} from '@oclif/core'
import {CommandError, type ContactRequest, ExitCode, isValidEmail, MegaArgs, MegaCommand, UsageError} from '@mega-shell/core'
import {type InviteAction, sendInvitation} from '../../contacts/invitations.js'

export interface InviteResult {
  email: string
  action: InviteAction
  /** The outgoing request as now cached (absent after -d). */
  request?: ContactRequest
}

const USAGE = 'invite [-d|-r] dstemail [--message="MESSAGE"]'

export default class Invite extends MegaCommand<InviteResult> {
  static override summary = 'Invite a contact, or cancel (-d) or re-send (-r) an invitation'
  static override description = `The invitation shows up in the other account's "mega showpcr --in", where "mega ipc" answers it.
A reminder (-r) is only allowed 15 days after the invitation or the previous reminder.`
  static override aliases = ['invite']
  static override examples = ['<%= config.bin %> invite bob@example.com --message="Hi Bob"', '<%= config.bin %> invite -d bob@example.com']
  static override args = {email: MegaArgs.string({description: 'email of the account to invite'})}
  static override flags = {
    delete: Flags.boolean({char: 'd', description: 'cancel the invitation sent to that email'}),
    remind: Flags.boolean({char: 'r', description: 're-send the invitation (a reminder)'}),
    message: Flags.string({description: 'text sent with the invitation'}),
  }

  async run(): Promise<InviteResult> {
    const {args, flags} = await this.parse(Invite)
    if (!args.email) throw new UsageError(`Usage: ${USAGE}`)
    // Checked before anything else, as MEGAcmd does (isValidEmail → 52 "No valid email provided").
    if (!isValidEmail(args.email)) throw new CommandError('No valid email provided', ExitCode.INVALIDEMAIL)
    // MEGAcmd reads -d and then -r: with both, it reminds.
    const action: InviteAction = flags.remind ? 'remind' : flags.delete ? 'delete' : 'add'
    await this.context.readyAccount()
    const request = await sendInvitation(this.context, args.email, action, flags.message)
    this.out(`Invitation to user: ${args.email} ${action === 'delete' ? 'removed' : 'sent'}`)
    return {email: args.email, action, request: action === 'delete' ? undefined : request}
  }
}
