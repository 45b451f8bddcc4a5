import {ArgumentFailures, inboxRecipient, isRegExpPath, MegaCommand, NotFoundError, sendToInbox, UsageError, usePcreFlag, withTreeWriteLock} from '@mega-shell/core'
import {copyTarget, copyTo, takesSeveral} from '../../copying/copy-plan.js'
import {notAFolder} from '../../moving/move-plan.js'

export interface CpResult {
  copied: Array<{from: string; to: string}>
}

const USAGE = 'cp [--use-pcre] srcremotepath [srcremotepath2 srcremotepath3 ..] dstremotepath'

export default class Cp extends MegaCommand<CpResult> {
  static override summary = 'Copy remote files and folders'
  static override description = `Copies on the server, without downloading anything: into an existing folder; to a new name in an existing
folder; onto an existing file (one file source), which it replaces. A file copied next to a file of the same
name replaces it (the old one is kept as a version), unless they are identical. Folders are copied with all
they hold. Several sources need a folder. A source that cannot be copied is reported and the others are still
copied; the exit code is the last failure's (as MEGAcmd). A destination user@example.com: (trailing colon) sends a
copy of each source to that contact's inbox.`
  static override aliases = ['cp']
  static override strict = false
  static override usage = USAGE
  static override examples = ['<%= config.bin %> cp /docs/report.pdf /backup', '<%= config.bin %> cp /photos /backup/photos-2024', `<%= config.bin %> cp '/docs/*.pdf' /backup`]
  static override flags = {
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<CpResult> {
    const {argv, flags} = await this.parse(Cp)
    const paths = argv as string[]
    if (paths.length < 2) throw new UsageError(`Usage: ${USAGE}`)
    const destination = paths[paths.length - 1]
    const sources = paths.slice(0, -1)
    // `user@example.com:`: a delivery to that user's inbox (MEGAcmd copyNode → sendFileToUser; core inbox-delivery.ts).
    const recipient = inboxRecipient(destination)
    await this.context.ready()
    const resolver = this.resolver()
    const failures = new ArgumentFailures()
    const copied: CpResult['copied'] = []
    // Another command of this profile may be creating the same nodes: decide and copy under the lock.
    await withTreeWriteLock(this.context, async () => {
      const target = recipient === undefined ? copyTarget(resolver, destination) : undefined
      // megacmdexecuter.cpp "cp": several sources need a folder (or a user), checked before anything is copied.
      if (target && sources.length > 1 && !takesSeveral(target)) throw notAFolder(destination)
      for (const source of sources) {
        const pattern = isRegExpPath(source)
        const nodes = pattern ? resolver.resolve(source, {pcre: flags['use-pcre']}) : [resolver.resolveOne(source)].filter((n) => n !== undefined)
        if (nodes.length === 0) {
          failures.add(new NotFoundError(`${source}: No such file or directory`))
          continue
        }
        if (target && nodes.length > 1 && !takesSeveral(target)) {
          failures.add(notAFolder(destination))
          continue
        }
        for (const node of nodes) {
          try {
            const from = resolver.pathOf(node)
            if (!target) {
              await sendToInbox(this.context, node, recipient!)
              copied.push({from, to: destination})
              continue
            }
            const copy = await copyTo(this.context, node, target, destination)
            if ('notice' in copy) this.warn(copy.notice)
            else copied.push({from, to: resolver.pathOf(copy)})
          } catch (error) {
            failures.add(error)
          }
        }
      }
    })
    return this.settle({copied}, failures)
  }
}
