import {Flags} from '@oclif/core'
import {ArgumentFailures, ExitCode, MegaCommand, NotFoundError} from '@mega-shell/core'
import {copyrightAccepted} from '../../exporting/copyright.js'
import {exportMode} from '../../exporting/export-mode.js'
import {ExportRun, type ExportResult} from '../../exporting/export-run.js'

export default class Export extends MegaCommand<ExportResult> {
  static override summary = 'Create, remove or list public links of files and folders'
  static override description = `With -a, makes a public link of each path and prints "Exported <path> : <link>" (so
awk '{print $4}' is the link), a writable folder link's "AuthToken = <ph>#<key>:<auth key>" line, and " expires at <date>"
for a link with --expire (a TIMEDELAY such as 10M, 1d12h, 1m). --password protects the printed link (https://mega.nz/#P!…;
PRO accounts only, as in MEGAcmd: others get the plain link and a warning). A node already exported is refused (64):
remove its link with -d first. With -d, removes the links ("Disabled export: <path>"). Without either, lists the links
at and below each path (default: the current folder), as "ls -aa" describes them.
The first link needs MEGA's copyright terms accepted: -f accepts them (asked on a terminal otherwise).`
  static override aliases = ['export']
  static override strict = false
  static override examples = [
    '<%= config.bin %> export -a /exports/report.pdf --expire=10M',
    '<%= config.bin %> export -a -f --writable /exports/dropbox',
    '<%= config.bin %> export -a --password=secret /exports/report.pdf',
    '<%= config.bin %> export /exports',
    '<%= config.bin %> export -d /exports/report.pdf',
  ]
  static override flags = {
    add: Flags.boolean({char: 'a', description: 'create links'}),
    delete: Flags.boolean({char: 'd', description: 'remove links'}),
    force: Flags.boolean({char: 'f', description: 'accept MEGA\'s copyright terms (asked once otherwise)'}),
    writable: Flags.boolean({description: 'a writable folder link (prints its AuthToken)'}),
    password: Flags.string({description: 'protect the link with this password (PRO accounts)'}),
    expire: Flags.string({description: 'the link expires after this TIMEDELAY, e.g. 10M, 2h, 1d12h, 1m, 1y'}),
  }

  async run(): Promise<ExportResult> {
    const {argv, flags} = await this.parse(Export)
    const mode = exportMode({add: flags.add, delete: flags.delete, force: flags.force, writable: flags.writable, password: flags.password, expire: flags.expire})
    await this.context.ready()
    if (mode.kind === 'add') this.context.requireWritable()
    if (mode.kind === 'add' && !(await copyrightAccepted(this.context, mode.force))) return {exported: [], disabled: [], listed: []}
    const failures = new ArgumentFailures()
    let notExported = false
    const run = new ExportRun(this.context, this.resolver(), {
      out: (line) => this.out(line),
      warn: (line) => this.warn(line),
      failures,
      // MEGAcmd prints these on stdout; with --json they are the result's errors.
      notExported: (line) => {
        if (this.jsonEnabled()) failures.add(new NotFoundError(line))
        else {
          this.out(line)
          notExported = true
        }
      },
    })
    // No path: the current folder, as MEGAcmd (which logs a warning about it only at its verbose levels).
    const paths = argv.length > 0 ? (argv as string[]) : ['.']
    for (const path of paths) await run.path(path, mode)
    if (!failures.last && notExported) this.exit(ExitCode.NOTFOUND)
    return this.settle(run.result, failures)
  }
}
