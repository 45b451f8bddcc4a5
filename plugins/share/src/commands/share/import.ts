import {Flags} from '@oclif/core'
import {
  askSecret, canPrompt, CommandError, ExitCode, failedTo, importFileLink, importFolderLink, isProtectedLink, MegaArgs, MegaCommand, NodeType,
  openPublicFile, openPublicLink, resolveApiUrl, UsageError, withPublicFolder,
} from '@mega-shell/core'

export interface ImportResult {
  /** Remote path of the imported file or folder. */
  imported: string
  type: 'file' | 'folder'
}

export default class Import extends MegaCommand<ImportResult> {
  static override summary = 'Copy a public file or folder link into the account'
  static override description = `Imports into the remote folder given (default: the current one): "Import file complete: <path>" or
"Imported folder complete: <path>". A file link whose file is already there with the same content is not imported again;
a same-named file with other content is replaced and kept as a version. A folder link brings the whole folder (or the
/folder/<h> or /file/<h> it names). A password-protected link (#P!) needs --password (asked on a terminal).`
  static override aliases = ['import']
  static override examples = [
    '<%= config.bin %> import "https://mega.nz/file/<handle>#<key>" /imports',
    '<%= config.bin %> import "https://mega.nz/folder/<handle>#<key>"',
  ]
  static override args = {
    link: MegaArgs.string({description: 'public file or folder link'}),
    remotepath: MegaArgs.string({description: 'remote folder to import into (default: the current folder)'}),
  }
  static override flags = {
    password: Flags.string({description: 'password of a password-protected link (#P!)'}),
  }

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(Import)
    await this.context.ready()
    const ctx = this.context
    ctx.requireWritable()
    if (!args.link) throw new UsageError('Usage: import exportedlink [--password=PASSWORD] [remotepath]')
    const password = flags.password ?? (isProtectedLink(args.link) && canPrompt() ? await askSecret('Enter password:', 'password') : undefined)
    const link = openPublicLink(args.link, password)
    const resolver = this.resolver()
    const target = args.remotepath === undefined ? resolver.cwd : resolver.resolveOne(args.remotepath)
    if (!target || target.type === NodeType.FILE) throw new CommandError(`Invalid destiny: ${args.remotepath ?? '.'}`, ExitCode.INVALIDTYPE)
    const apiUrl = resolveApiUrl(ctx.session?.apiUrl)
    if (link.type === 'file') {
      const imported = await openPublicFile(apiUrl, link)
        .then((file) => importFileLink(ctx, target, link.handle, file))
        .catch((error: unknown) => {
          throw failedTo('import node', error)
        })
      const path = resolver.pathOf(imported)
      this.out(`Import file complete: ${path}`)
      return {imported: path, type: 'file'}
    }
    const imported = await withPublicFolder(apiUrl, link, (folder) => importFolderLink(ctx, target, folder).catch((error: unknown) => {
      throw failedTo('import folder node', error)
    }))
    const path = resolver.pathOf(imported)
    this.out(`Imported folder complete: ${path}`)
    return {imported: path, type: imported.type === NodeType.FILE ? 'file' : 'folder'}
  }
}
