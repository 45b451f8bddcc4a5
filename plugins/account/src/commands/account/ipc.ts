import {Flags} from '@oclif/core'
import {MegaArgs, MegaCommand, printable, UsageError} from '@mega-shell/core'
import {type Answer, ANSWER_VERB, answerRequest, findIncomingRequest} from '../../contacts/answers.js'

export interface IpcResult {
  /** The request's id (PCR handle) and sender. */
  id: string
  email: string
  answer: Answer
}

const USAGE = 'Usage: ipc email|handle -a|-d|-i'

export default class Ipc extends MegaCommand<IpcResult> {
  static override summary = 'Answer an incoming contact request: accept, reject or ignore it'
  static override description = `Names the request by the email that sent it or by its id (from "mega showpcr --in").
Ignoring is silent: the sender still sees the invitation as pending.`
  static override aliases = ['ipc']
  static override examples = ['<%= config.bin %> ipc alice@example.com -a', '<%= config.bin %> ipc -d <id>']
  static override args = {request: MegaArgs.string({description: 'email of the sender, or the request id'})}
  static override flags = {
    accept: Flags.boolean({char: 'a', description: 'accept', exclusive: ['deny', 'ignore']}),
    deny: Flags.boolean({char: 'd', description: 'reject', exclusive: ['accept', 'ignore']}),
    ignore: Flags.boolean({char: 'i', description: 'ignore (silently)', exclusive: ['accept', 'deny']}),
  }

  async run(): Promise<IpcResult> {
    const {args, flags} = await this.parse(Ipc)
    // MEGAcmd checks for an action before looking the request up (megacmdexecuter.cpp "ipc").
    const answer: Answer | undefined = flags.accept ? 'accept' : flags.deny ? 'deny' : flags.ignore ? 'ignore' : undefined
    if (!args.request || !answer) throw new UsageError(USAGE)
    const ctx = this.context
    await ctx.readyAccount()
    const request = findIncomingRequest(ctx, args.request)
    await answerRequest(ctx, request, answer)
    this.out(`${ANSWER_VERB[answer]} invitation by ${printable(request.email)}`)
    return {id: request.handle, email: request.email, answer}
  }
}
