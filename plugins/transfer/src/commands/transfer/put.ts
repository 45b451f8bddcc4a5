import {stat} from 'node:fs/promises'
import {basename, resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {localSize, MegaCommand, NotFoundError, uploadPath, UsageError} from '@mega-shell/core'
import {resolvePutTarget} from '../../planning/put-destination.js'
import {ProgressBar} from '../../progress/progress-bar.js'

export interface PutResult {
  uploaded: Array<{local: string; remote: string; handle: string}>
}

export default class Put extends MegaCommand<PutResult> {
  static override summary = 'Upload files and folders'
  static override description = `The last argument is the remote destination when there are two or more (default: the remote cwd).
Folders upload recursively under their own name. Prints "Upload finished: <remote path>" for each source.`
  static override aliases = ['put']
  static override strict = false
  static override examples = ['<%= config.bin %> put ./photos ./notes.txt /a/b', '<%= config.bin %> put -c report.pdf /exports/2026/']
  static override flags = {
    create: Flags.boolean({char: 'c', description: 'create the remote destination folders if missing'}),
    connections: Flags.integer({description: 'parallel connections per file', min: 1, max: 32}),
  }

  async run(): Promise<PutResult> {
    const {argv, flags} = await this.parse(Put)
    const args = argv as string[]
    if (args.length === 0) throw new UsageError('Usage: put [-c] localfile [localfile2 ...] [dstremotepath]')
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
    const resolver = this.resolver()
    const target = await resolvePutTarget(this.context, resolver, destination, sources, flags.create)
    let total = 0
    for (const source of sources) total += await localSize(source.path)
    const bar = new ProgressBar(total, !this.jsonEnabled())
    const uploaded: PutResult['uploaded'] = []
    try {
      for (const source of sources) {
        const node = await uploadPath(this.context, source.path, target.parent, target.name ?? basename(source.path), {
          connections: flags.connections,
          signal: this.interrupt,
          onProgress: (file, progress) => bar.update(file, progress),
        })
        const remote = resolver.pathOf(node)
        uploaded.push({local: source.path, remote, handle: node.handle})
        bar.finish()
        this.out(`Upload finished: ${remote}`)
      }
    } finally {
      bar.finish()
    }
    return {uploaded}
  }
}
