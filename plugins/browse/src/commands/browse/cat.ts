import {ArgumentFailures, CommandError, downloadFile, ExitCode, isProtectedLink, isRegExpPath, looksLikeLink, MegaArgs, MegaCommand, type MegaNode, NodeType, NotFoundError, NotLoggedInError, parsePublicLink, type PathResolver, resolveApiUrl, UsageError} from '@mega-shell/core'
import {openLinkForCat} from '../../reading/cat-link.js'
import {writeVerified} from '../../reading/verified-output.js'

export interface CatResult {
  /** What was written, in order: remote paths or links, with their sizes. */
  written: Array<{source: string; size: number}>
}

export default class Cat extends MegaCommand<CatResult> {
  static override summary = 'Write remote files (or public file links) to stdout'
  static override description = `The bytes of each file, one after the other, exactly as uploaded. Each file is verified against its MAC
before any of it is written: a file whose data does not match writes nothing and fails the command (exit 14).
Public file links work without logging in. Paths may hold * and ? wildcards. A file is staged in a private
temporary folder while it is verified, so it needs that much free space there.`
  static override aliases = ['cat']
  static override strict = false
  static override usage = 'cat remotepath1 remotepath2 ...'
  static override examples = ['<%= config.bin %> cat /notes/todo.txt', '<%= config.bin %> cat "https://mega.nz/file/<handle>#<key>" > file.bin']
  static override args = {path: MegaArgs.string({description: 'remote files or public file links'})}

  async run(): Promise<CatResult> {
    const {argv} = await this.parse(Cat)
    const sources = argv as string[]
    if (sources.length === 0) throw new UsageError('Usage: cat remotepath1 remotepath2 ...')
    const failures = new ArgumentFailures()
    const result: CatResult = {written: []}
    let resolver: PathResolver | undefined
    // Once the reader of stdout has gone (EPIPE), there is nothing left to do.
    let open = true
    for (const source of sources) {
      if (!open) break
      try {
        // MEGAcmd's cat asks for a protected link's password, but our questions are asked on stdout, which cat
        // fills with the file: say what works instead of "Invalid link".
        if (isProtectedLink(source)) throw new UsageError('Cannot cat a password-protected link: download it with get --password=PASSWORD')
        if (looksLikeLink(source)) {
          const link = await openLinkForCat(resolveApiUrl(this.context.session?.apiUrl), parsePublicLink(source), source)
          open = await this.write(link.size, (path) => link.download(path, this.interrupt))
          result.written.push({source, size: link.size})
          continue
        }
        // megacmdexecuter.cpp "cat": each remote path without a login is its own failure; links still work.
        if (!this.context.loggedIn) throw new NotLoggedInError(`Unable to cat ${source}: Not logged in.`)
        if (!resolver) {
          await this.context.ready()
          resolver = this.resolver()
        }
        const nodes = isRegExpPath(source) ? resolver.resolve(source) : [resolver.resolveOne(source)].filter((n): n is MegaNode => n !== undefined)
        if (nodes.length === 0) throw new NotFoundError(isRegExpPath(source) ? `Nodes not found: ${source}` : `Node not found: ${source}`)
        for (const node of nodes) {
          if (!open) break
          try {
            if (node.type !== NodeType.FILE) throw new CommandError(' Unable to cat: not a file', ExitCode.EARGS)
            open = await this.write(node.size, (path) => downloadFile(this.context, node, path, {signal: this.interrupt}))
            result.written.push({source: resolver.pathOf(node), size: node.size})
          } catch (error) {
            failures.add(error)
          }
        }
      } catch (error) {
        failures.add(error)
      }
    }
    return this.settle(result, failures)
  }

  /** One file's bytes to stdout, once verified (with --json only verified); false once stdout is closed. */
  private write(size: number, download: (path: string) => Promise<void>): Promise<boolean> {
    // megacmdexecuter.cpp catFile: an empty file streams nothing.
    if (size === 0) return Promise.resolve(true)
    return writeVerified(download, this.jsonEnabled() ? undefined : process.stdout)
  }
}
