import {megaHome, MegaCommand, UsageError} from '@mega-shell/core'
import {completionSources} from '../../shell/completion-sources.js'
import {ShellSession} from '../../shell/shell-session.js'
import type {PromptState} from '../../shell/shell-prompt.js'

export default class Shell extends MegaCommand<{code: number}> {
  static override summary = 'Open the interactive shell (MEGAcmd mega-cmd)'
  static override description = `Each line runs in the background server (started if needed), as a mega-<cmd> command would.
The prompt shows the account and the remote cwd. Tab completes commands, flags, remote paths (from the cache) and
local paths; history is kept in the profile folder. Built-ins: lcd <folder>, lpwd, history, clear.
quit/exit stop the server and leave; quit --only-shell or Ctrl-D leave it running. Ctrl-C stops the running command.
"mega" with no arguments on a terminal opens it too.`
  static override aliases = ['shell', 'cmd']
  static override examples = ['<%= config.bin %> shell', 'mega-cmd']

  async run(): Promise<{code: number}> {
    await this.parse(Shell)
    // Readline needs a terminal to edit lines on; a script runs commands as `mega <cmd>` or `mega-<cmd>`.
    if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError('The shell needs a terminal: run commands as "mega <command>" or "mega-<command>"')
    const session = new ShellSession({
      root: this.config.root, home: megaHome(),
      promptState: () => this.promptState(),
      completionSources: () => completionSources(this.config, this.context, () => this.resolver()),
    })
    const code = await session.run()
    process.exitCode = code
    return {code}
  }

  private promptState(): PromptState {
    const email = this.context.session?.email
    if (!email) return {}
    const resolver = this.resolver()
    return {email, cwd: resolver.pathOf(resolver.cwd)}
  }
}
