import {createInterface} from 'node:readline'
import {type CompletionSources, candidateText, completeLine, resetInterrupt, splitLine} from '@mega-shell/core'
import {forwardedEnvironment, reachServer, relayCommand, ttyFacts} from '@mega-shell/core/daemon'
import {builtin} from './shell-builtins.js'
import {runInProcess} from './in-process-command.js'
import {HISTORY_LIMIT, ShellHistory} from './shell-history.js'
import {type PromptState, promptText} from './shell-prompt.js'

type Reach = Awaited<ReturnType<typeof reachServer>>

export interface ShellOptions {
  /** The mega-shell package root, to start the server. */
  root: string
  home: string
  /** Read again before each prompt: a command may have logged in or out, or changed the remote cwd. */
  promptState(): PromptState
  /** Read at each Tab: the cache as it is now. */
  completionSources(): CompletionSources
}

/**
 * The interactive shell (MEGAcmd's mega-cmd): reads a line, runs it through the profile's background server
 * exactly as a `mega-<cmd>` thin client would (command-relay.cts: RUN with this terminal's facts and the shell's
 * local cwd), and prompts again. The remote cwd is the profile's (MEGAcmd has one per server), read for the prompt
 * after each command. Completion reads the cache in this process (see completionSources in the shell command).
 *
 * Readline owns the terminal only while a line is being typed: during a command the terminal is back in its normal
 * mode, so Ctrl-C is a SIGINT this process forwards to the command (exit 130) and a command's prompts ask on the
 * terminal as they do from a thin client.
 *
 * While a line is typed, the connection for its command is opened (when the server runs): the command then starts
 * with its RUN frame, without a connect and HELLO round trip of its own.
 */
export class ShellSession {
  private readonly history: ShellHistory
  private lastCode = 0
  /** The connection opened for the next command, if the server ran when the prompt appeared. */
  private nextConnection?: Promise<Reach | undefined>

  constructor(private readonly options: ShellOptions) {
    this.history = new ShellHistory(options.home)
  }

  /** Runs until Ctrl-D, `quit --only-shell`, or `quit`/`exit` (which stop the server too); resolves with the last exit code. */
  async run(): Promise<number> {
    // An interrupt nobody claimed must not end the shell (bin/run.js installed that behaviour for one-shot commands),
    // but SIGTERM still does: its running command stops with it (the server stops the commands of clients that go).
    resetInterrupt(() => undefined)
    process.once('SIGTERM', () => process.exit(143))
    try {
      return await this.runLines()
    } finally {
      void this.nextConnection?.then((reach) => reach && closeConnection(reach))
    }
  }

  private async runLines(): Promise<number> {
    for (;;) {
      const reading = this.readLine()
      // Once the prompt is out. A failure here is the command's to report, once it runs: reached again then.
      this.nextConnection ??= this.reach(false).catch(() => undefined)
      const line = await reading
      if (line === undefined) {
        // megacmdshell.cpp store_line: EOF leaves the shell only.
        process.stdout.write('(CTRL+D) Exiting ...\n')
        return this.lastCode
      }
      if (line === null) continue
      this.history.add(line)
      const words = splitLine(line).map((word) => word.value)
      if (!words.length) continue
      const [name, ...args] = words
      const own = builtin(name)
      if (own) {
        this.lastCode = own(args, this.history)
        continue
      }
      // megacmdshell.cpp: quit/exit go to the server unless --only-shell; the shell ends either way, unless it was
      // only asked for help.
      const quitting = name === 'quit' || name === 'exit'
      if (quitting && args.includes('--only-shell')) return this.lastCode
      this.lastCode = await this.runInServer(words)
      if (quitting && !args.includes('--help') && !args.includes('-h')) return this.lastCode
    }
  }

  /** The next line; null when Ctrl-C cleared it; undefined at Ctrl-D. */
  private readLine(): Promise<string | null | undefined> {
    const rl = createInterface({
      input: process.stdin, output: process.stdout, terminal: true, history: this.history.newestFirst, historySize: HISTORY_LIMIT,
      prompt: promptText(this.safePromptState()), completer: (line: string) => this.complete(line), tabSize: 4,
    })
    return new Promise((resolve) => {
      let result: string | null | undefined
      rl.on('line', (line) => {
        result = line
        rl.close()
      })
      rl.on('SIGINT', () => {
        // Ctrl-C at the prompt drops the line being typed, as bash and MEGAcmd's shell do.
        result = null
        process.stdout.write('^C\n')
        rl.close()
      })
      rl.once('close', () => resolve(result))
      rl.prompt()
    })
  }

  private complete(line: string): [string[], string] {
    try {
      const {word, candidates} = completeLine(line, this.options.completionSources())
      return [candidates.map((candidate) => candidateText(candidate, word.openQuote)), word.raw]
    } catch {
      // A cache being rebuilt, a cwd removed: no candidates rather than a broken prompt.
      return [[], line]
    }
  }

  private safePromptState(): PromptState {
    try {
      return this.options.promptState()
    } catch {
      return {}
    }
  }

  private reach(autoStart: boolean): Promise<Reach> {
    return reachServer({root: this.options.root, home: this.options.home, env: process.env, autoStart})
  }

  /** The connection opened while the line was typed if it is still open (the server may have stopped since), else a new one. */
  private async connect(): Promise<Reach> {
    const prepared = await this.nextConnection
    this.nextConnection = undefined
    if (prepared?.kind === 'connected' && prepared.connection.socket.readyState === 'open') return prepared
    if (prepared) closeConnection(prepared)
    return this.reach(true)
  }

  private async runInServer(argv: string[]): Promise<number> {
    const reach = await this.connect()
    if (reach.kind !== 'connected') {
      // As the thin client: something wrong with the socket is worth a line; the command runs all the same.
      if (reach.kind === 'unavailable' && reach.unusual) process.stderr.write(`[mega] background server unavailable (${reach.reason}): running the command in-process\n`)
      return runInProcess(this.options.root, argv)
    }
    const command = relayCommand(reach.connection, {argv, cwd: process.cwd(), env: forwardedEnvironment(process.env), tty: ttyFacts(), client: 'shell'})
    const forward = (): void => command.signal('SIGINT')
    process.on('SIGINT', forward)
    try {
      return await command.exit
    } finally {
      process.off('SIGINT', forward)
    }
  }
}

function closeConnection(reach: Reach): void {
  if (reach.kind === 'connected') reach.connection.close()
}
