import {ArgumentFailures, CommandError, ExitCode, inboxRecipient, MegaCommand, NotFoundError, sendToInbox, UsageError} from '@mega-shell/core'

export interface CpResult {
  /** What was sent to a user's inbox. */
  sent: Array<{from: string; to: string}>
}

const USAGE = 'cp [--use-pcre] srcremotepath [srcremotepath2 srcremotepath3 ..] dstremotepath|dstemail:'

/**
 * Stand-in for the browse plugin's `cp` (merged from its branch): only the `user@example.com:` destination, a
 * delivery to that user's inbox (core sendToInbox). The browse `cp` calls the same core functions.
 */
export default class Cp extends MegaCommand<CpResult> {
  static override summary = 'Copy remote files and folders, or send them to a contact\'s inbox'
  static override description = `With a destination user@example.com: (the trailing colon names a user), sends a copy of each source, folders
with all they hold, to that contact's inbox. A source that cannot be sent is reported and the others are still
sent; the exit code is the last failure's (as MEGAcmd).`
  static override aliases = ['cp']
  static override strict = false
  static override usage = USAGE
  static override examples = ['<%= config.bin %> cp /docs/report.pdf bob@example.com:']

  async run(): Promise<CpResult> {
    const {argv} = await this.parse(Cp)
    const paths = argv as string[]
    if (paths.length < 2) throw new UsageError(`Usage: ${USAGE}`)
    const destination = paths[paths.length - 1]
    const recipient = inboxRecipient(destination)
    if (recipient === undefined) throw new CommandError(`${destination} Couldn't find destination`, ExitCode.NOTFOUND)
    await this.context.ready()
    const resolver = this.resolver()
    const failures = new ArgumentFailures()
    const sent: CpResult['sent'] = []
    for (const source of paths.slice(0, -1)) {
      const nodes = resolver.resolve(source)
      if (nodes.length === 0) failures.add(new NotFoundError(`${source}: No such file or directory`))
      for (const node of nodes) {
        try {
          await sendToInbox(this.context, node, recipient)
          sent.push({from: resolver.pathOf(node), to: destination})
        } catch (error) {
          failures.add(error)
        }
      }
    }
    return this.settle({sent}, failures)
  }
}
