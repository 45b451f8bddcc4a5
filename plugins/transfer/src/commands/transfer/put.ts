import {stat} from 'node:fs/promises'
import {basename, resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {CreatedFolders, MegaCommand, NotFoundError, printable, scanLocal, type UploadFailure, uploadSource, UsageError} from '@mega-shell/core'
import {resolvePutTarget} from '../../planning/put-destination.js'
import {ProgressBar} from '../../progress/progress-bar.js'
import {callQueue, type EnqueueReply} from '../../queue/queue-protocol.js'

export interface PutResult {
  uploaded: Array<{local: string; remote: string; handle: string}>
  /** Local items that could not be uploaded (the rest was), each with its reason and exit code. */
  failures: UploadFailure[]
  /** With -q: the transfers handed to the background server's queue, by tag. */
  queued?: Array<{tag: number; local: string; remote: string}>
}

export default class Put extends MegaCommand<PutResult> {
  static override summary = 'Upload files and folders'
  static override description = `The last argument is the remote destination when there are two or more (default: the remote cwd).
Folders upload recursively under their own name. Prints "Upload finished: <remote path>" for each source.
A file inside a folder that cannot be read, or whose name is not UTF-8, is left out: everything else is
uploaded, then each one left out is reported ("Unable to upload <path>: <reason>") and the exit code is
that of the first (56 permission denied, 55 name not UTF-8). Ctrl-C removes the folders the command
created that received no file.
With -q the uploads are handed to the background server's queue and the command returns at once: see
and steer them with "transfers"; they survive a server restart and resume where they were.`
  static override aliases = ['put']
  static override strict = false
  static override examples = ['<%= config.bin %> put ./photos ./notes.txt /a/b', '<%= config.bin %> put -c report.pdf /exports/2026/']
  static override flags = {
    create: Flags.boolean({char: 'c', description: 'create the remote destination folders if missing'}),
    connections: Flags.integer({description: 'parallel connections per file', min: 1, max: 32}),
    queue: Flags.boolean({char: 'q', description: 'queue in the background server and return at once (see transfers)'}),
    'print-tag-at-start': Flags.boolean({description: 'print "Upload started: Tag = <tag>. Source = <path>" for each transfer'}),
    'ignore-quota-warn': Flags.boolean({description: 'accepted for MEGAcmd scripts: uploads never wait for a quota warning'}),
  }

  async run(): Promise<PutResult> {
    const {argv, flags} = await this.parse(Put)
    const args = argv as string[]
    if (args.length === 0) throw new UsageError('Usage: put [-c] [-q] [--print-tag-at-start] localfile [localfile2 ...] [dstremotepath]')
    const locals = args.length === 1 ? args : args.slice(0, -1)
    const destination = args.length === 1 ? '.' : args[args.length - 1]
    // Check every local source before anything is sent: a typo uploads nothing.
    const sources = []
    for (const local of locals) {
      const info = await stat(local).catch(() => undefined)
      if (!info || !(info.isFile() || info.isDirectory())) throw new NotFoundError(`Unable to open local path: ${local}`)
      sources.push({path: resolve(local), isDirectory: info.isDirectory()})
    }
    await this.context.ready()
    const signal = this.interrupt
    const created = new CreatedFolders()
    if (flags.queue) return this.enqueue(sources, destination, {create: flags.create, created, signal, printTag: flags['print-tag-at-start']})
    let result: PutResult
    try {
      result = await this.upload(sources, destination, {create: flags.create, connections: flags.connections, created, signal})
    } catch (error) {
      // Ctrl-C: nothing empty is left behind; the folders that received files stay.
      if (signal.aborted) await created.removeEmpty(this.context).catch((cleanup: Error) => this.warn(`Could not remove the empty folders this upload created: ${cleanup.message}`))
      throw error
    }
    if (result.failures.length > 0) this.reportFailures(result)
    return result
  }

  private async upload(sources: Array<{path: string; isDirectory: boolean}>, destination: string, options: {create: boolean; connections?: number; created: CreatedFolders; signal: AbortSignal}): Promise<PutResult> {
    const resolver = this.resolver()
    const target = await resolvePutTarget(this.context, resolver, destination, sources, options)
    const scans = await Promise.all(sources.map((source) => scanLocal(source.path, target.name ?? basename(source.path))))
    const bar = new ProgressBar(scans.reduce((sum, scan) => sum + scan.size, 0), !this.jsonEnabled())
    const result: PutResult = {uploaded: [], failures: []}
    try {
      for (const [i, scan] of scans.entries()) {
        const {node, failures} = await uploadSource(this.context, scan, target.parent, {
          connections: options.connections, signal: options.signal, createdFolders: options.created,
          onProgress: (file, progress) => bar.update(file, progress),
          notes: {log: (line) => this.verbose(line), warn: (line) => this.warn(line)},
        })
        result.failures.push(...failures)
        if (!node) continue
        const remote = resolver.pathOf(node)
        result.uploaded.push({local: sources[i].path, remote, handle: node.handle})
        bar.finish()
        this.out(`Upload finished: ${printable(remote)}`)
      }
    } finally {
      bar.finish()
    }
    return result
  }

  /**
   * -q: the destination is resolved (and made, with -c) now, so that a mistake fails here and not later in the
   * queue; the server's queue then uploads each source into it.
   */
  private async enqueue(sources: Array<{path: string; isDirectory: boolean}>, destination: string, options: {create: boolean; created: CreatedFolders; signal: AbortSignal; printTag: boolean}): Promise<PutResult> {
    const resolver = this.resolver()
    const target = await resolvePutTarget(this.context, resolver, destination, sources, options)
    const parentPath = resolver.pathOf(target.parent)
    const account = this.context.requireSession().userHandle
    const transfers = await Promise.all(sources.map(async (source) => {
      const name = target.name ?? basename(source.path)
      const {size} = await scanLocal(source.path, name)
      const remote = parentPath.endsWith('/') ? `${parentPath}${name}` : `${parentPath}/${name}`
      return {direction: 'upload' as const, source: source.path, destination: remote, bytesTotal: size, account, job: {local: source.path, parent: target.parent.handle, name}}
    }))
    const {tags} = await callQueue<EnqueueReply>(this.config.root, 'enqueue', {transfers})
    const queued = tags.map((tag, i) => ({tag, local: transfers[i].source, remote: transfers[i].destination}))
    // MEGAcmd's line (megacmdexecuter.cpp, put --print-tag-at-start).
    if (options.printTag) for (const {tag, local} of queued) this.out(`Upload started: Tag = ${tag}. Source = ${printable(local)}`)
    return {uploaded: [], failures: [], queued}
  }

  /** Everything else went up: one line per item left out, and the exit code of the first. */
  private reportFailures(result: PutResult): never {
    if (this.jsonEnabled()) this.logJson(result)
    else for (const {local, reason} of result.failures) this.warn(`Unable to upload ${local}: ${reason}`)
    this.exit(result.failures[0].exitCode)
  }
}
