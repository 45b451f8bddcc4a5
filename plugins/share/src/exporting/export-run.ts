import {
  type ArgumentFailures, CommandError, disableExport, ExitCode, exportedBelow, exportedLinkUrl, exportNode, failedTo, fetchQuota, isLinkExpired, isRegExpPath,
  type MegaContext, MegaError, type MegaNode, NodeType, NotFoundError, type PathResolver, protectPublicLink, publicLinkUrl, linkKey,
} from '@mega-shell/core'
import {displayPath} from './display-path.js'
import {authTokenOf, type ExportedLink, exportedLines, listedLine} from './export-lines.js'
import type {ExportMode} from './export-mode.js'

/** What `export` did, for --json. */
export interface ExportResult {
  exported: ExportedLink[]
  /** Paths whose link was removed. */
  disabled: string[]
  /** Rows of the listing, with the link of each exported node. */
  listed: Array<{path: string; type: 'file' | 'folder'; link?: string; expires?: number; expired?: boolean; authKey?: string}>
}

/** Where `export` reports: stdout lines, stderr warnings that do not fail it, and the failures of single paths. */
export interface ExportOutput {
  out(line: string): void
  warn(line: string): void
  failures: ArgumentFailures
  /** A listing that found nothing: MEGAcmd prints it on stdout and ends with 53. */
  notExported(line: string): void
}

/**
 * `export` over its path arguments, as MEGAcmd's (megacmdexecuter.cpp "export"): each path is taken literally or,
 * when MEGAcmd would read it as a pattern (regexp-path.ts), as a pattern, which only changes its messages. A path's
 * failure is reported and the others go on; the exit code is the last failure's (ArgumentFailures).
 */
export class ExportRun {
  readonly result: ExportResult = {exported: [], disabled: [], listed: []}
  private proLevel?: number

  constructor(private readonly ctx: MegaContext, private readonly resolver: PathResolver, private readonly output: ExportOutput) {}

  async path(arg: string, mode: ExportMode): Promise<void> {
    const pattern = isRegExpPath(arg)
    const nodes = pattern ? this.resolver.resolve(arg) : [this.resolver.resolveOne(arg)].filter((node) => node !== undefined)
    if (nodes.length === 0) this.output.failures.add(new NotFoundError(`${pattern ? 'Nodes' : 'Node'} not found: ${arg}`))
    // MEGAcmd names the path of a literal argument "<path>" in its messages, and the cwd "current folder".
    const named = pattern ? `Node ${arg}` : arg === '.' ? 'current folder' : `<${arg}>`
    for (const node of nodes) {
      try {
        if (mode.kind === 'add') await this.add(node, named, mode)
        else if (mode.kind === 'delete') await this.remove(node)
        else this.list(node, arg, pattern ? `${arg} is not exported. Use -a to export it` : `Couldn't find anything exported below ${named}. Use -a to export it`)
      } catch (error) {
        this.output.failures.add(error)
      }
    }
  }

  private async add(node: MegaNode, named: string, mode: Extract<ExportMode, {kind: 'add'}>): Promise<void> {
    const path = this.resolver.pathOf(node)
    if (node.link) {
      throw new CommandError(`${named} is already exported. Use -d to delete it if you want to change its parameters. Note: the new link may differ`, ExitCode.EXISTS)
    }
    if (node.type !== NodeType.FILE && node.type !== NodeType.FOLDER) {
      throw new CommandError(`Failed to export node ${path}: The root folder cannot be exported`, ExitCode.NOTPERMITTED)
    }
    let exported: MegaNode
    try {
      exported = await exportNode(this.ctx, node, {expires: mode.expires, writable: mode.writable})
    } catch (error) {
      throw failedTo(`export node ${path}`, error)
    }
    const type = node.type === NodeType.FILE ? 'file' : 'folder'
    const url = publicLinkUrl({type, handle: exported.link!.ph, key: linkKey(this.ctx, exported)!})
    const authToken = authTokenOf(url, exported)
    const link = mode.password !== undefined ? await this.protect(url, type, exported, mode.password) : url
    const entry: ExportedLink = {path, type, link, ...(exported.link?.expires ? {expires: exported.link.expires} : {}), ...(authToken ? {authToken} : {})}
    this.result.exported.push(entry)
    this.output.out(exportedLines(entry))
    if (mode.writable && !authToken) {
      throw new CommandError('Failed to generate writable folder: missing auth key. Showing read-only link', ExitCode.INVALIDSTATE)
    }
  }

  /**
   * The password-protected form of a new link. As MEGAcmd, only for PRO accounts (it asks `uq` first, amIPro):
   * others get the plain link and a warning, and the command still succeeds.
   */
  private async protect(url: string, type: 'file' | 'folder', node: MegaNode, password: string): Promise<string> {
    this.proLevel ??= (await fetchQuota(this.ctx.api)).proLevel
    if (this.proLevel <= 0) {
      this.output.warn('Only PRO users can protect links with passwords. Showing UNPROTECTED link')
      return url
    }
    return protectPublicLink({type, handle: node.link!.ph, key: linkKey(this.ctx, node)!}, password)
  }

  private async remove(node: MegaNode): Promise<void> {
    if (!node.link) throw new CommandError('Could not disable export: node not exported.', ExitCode.INVALIDSTATE)
    const path = this.resolver.pathOf(node)
    try {
      await disableExport(this.ctx, node)
    } catch (error) {
      throw error instanceof MegaError ? failedTo('disable export', error) : error
    }
    this.result.disabled.push(path)
    this.output.out(`Disabled export: ${path}`)
  }

  private list(base: MegaNode, arg: string, nothing: string): void {
    const exported = exportedBelow(this.ctx, base)
    if (exported.length === 0) return this.output.notExported(nothing)
    const cwdPath = this.resolver.pathOf(this.resolver.cwd)
    for (const node of exported) {
      const path = displayPath(arg, this.resolver.pathOf(node), cwdPath)
      const url = exportedLinkUrl(this.ctx, node)
      const link = node.link!
      this.result.listed.push({
        path, type: node.type === NodeType.FILE ? 'file' : 'folder', link: url,
        ...(link.expires ? {expires: link.expires, expired: isLinkExpired(link)} : {}), ...(link.authKey ? {authKey: link.authKey} : {}),
      })
      this.output.out(listedLine(path, node, url))
    }
  }
}
