import {Flags} from '@oclif/core'
import {type ContactRequest, MegaCommand, timeFormatFlag, timeFormatter} from '@mega-shell/core'
import {pcrLines} from '../../contacts/pcr-lines.js'

export interface ShowpcrResult {
  outgoing: ContactRequest[]
  incoming: ContactRequest[]
}

export default class Showpcr extends MegaCommand<ShowpcrResult> {
  static override summary = 'Show pending contact requests'
  static override description = `Outgoing ones are invitations you sent ("mega invite"); incoming ones wait for your answer ("mega ipc").
Without --in or --out, both. Dates are RFC2822 unless --time-format says otherwise.`
  static override aliases = ['showpcr']
  static override examples = ['<%= config.bin %> showpcr --in', '<%= config.bin %> showpcr --time-format=ISO6081_WITH_TIME']
  static override flags = {
    in: Flags.boolean({description: 'only incoming requests'}),
    out: Flags.boolean({description: 'only outgoing requests'}),
    'time-format': timeFormatFlag,
  }

  async run(): Promise<ShowpcrResult> {
    const {flags} = await this.parse(Showpcr)
    const both = !flags.in && !flags.out
    const ctx = this.context
    await ctx.readyAccount()
    const time = timeFormatter(flags['time-format'])
    const outgoing = both || flags.out ? ctx.contacts.requests(true) : []
    const incoming = both || flags.in ? ctx.contacts.requests(false) : []
    for (const line of [...pcrLines(outgoing, true, time), ...pcrLines(incoming, false, time)]) this.out(line)
    return {outgoing, incoming}
  }
}
