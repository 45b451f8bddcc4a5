import {dataFlag, formatTime, localServerHome, MegaArgs, MegaCommand} from '@mega-shell/core'
import {readOutbox, type Mail} from '../../server/stores/outbox.js'

export default class OutboxCommand extends MegaCommand<Mail[]> {
  static override summary = "Show the local server's sent mail (confirmation links, invitations)"
  static override description = `The local server sends no email: what MEGA would mail (signup confirmation links, contact invitations)
is kept in its data folder and shown here, oldest first. Works whether or not the server is running.`
  static override examples = [
    '<%= config.bin %> local-server:outbox',
    '<%= config.bin %> local-server:outbox bob@example.com --json',
  ]
  static override args = {
    email: MegaArgs.string({description: 'only mail sent to this address'}),
  }
  static override flags = {
    data: dataFlag,
  }

  async run(): Promise<Mail[]> {
    const {args, flags} = await this.parse(OutboxCommand)
    const mails = readOutbox(flags.data ?? localServerHome(), args.email)
    for (const mail of mails) {
      this.out(`To: ${mail.to}`)
      this.out(`Date: ${formatTime(mail.sent, 'RFC2822')}`)
      this.out(`Subject: ${mail.subject}`)
      this.out('')
      this.out(mail.body.trimEnd())
      this.out('')
    }
    return mails
  }
}
