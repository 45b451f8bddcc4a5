import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import {MegaContext} from '../session/context.js'
import {PathResolver} from '../tree/path-resolver.js'
import {NodeType} from '../tree/node.js'
import {toFailure} from './exit-codes.js'
import {CommandError} from '../errors.js'

export type MegaFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof MegaCommand)['baseFlags'] & T['flags']>
export type MegaArgsOf<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Base class of every mega-shell command (ours and third-party plugins'): `--json` on everything (`run()`
 * returns the typed result oclif prints as JSON), `-v` for diagnostics on stderr, lazy access to the cache
 * and API, and one error path: a one-line message on stderr and MEGAcmd's exit code (command/exit-codes.ts).
 */
export abstract class MegaCommand<T> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    verbose: Flags.boolean({char: 'v', description: 'print diagnostics on stderr', helpGroup: 'GLOBAL'}),
  }

  private contextInstance?: MegaContext
  private abortController?: AbortController

  abstract override run(): Promise<T>

  /** The cache + API of this process, opened on first use. */
  protected get context(): MegaContext {
    if (!this.contextInstance) {
      this.contextInstance = new MegaContext({log: (line) => this.verbose(line)})
    }
    return this.contextInstance
  }

  /** A resolver for remote paths relative to the cwd (`MEGA_CWD` pins a path for scripts). */
  protected resolver(): PathResolver {
    const ctx = this.context
    const roots = {root: ctx.root(NodeType.ROOT), inbox: ctx.nodes.root(NodeType.INBOX), rubbish: ctx.nodes.root(NodeType.RUBBISH)}
    let cwd = ctx.nodes.get(ctx.cwdHandle) ?? roots.root
    const pinned = process.env.MEGA_CWD
    if (pinned) cwd = new PathResolver(ctx.nodes, roots, roots.root).resolveOne(pinned) ?? cwd
    return new PathResolver(ctx.nodes, roots, cwd)
  }

  /**
   * Aborted on Ctrl-C (SIGINT) or SIGTERM, so long operations stop cleanly: transfers remove their temporary
   * files instead of the process dying mid-write. The command then fails with exit 130.
   */
  protected get interrupt(): AbortSignal {
    if (!this.abortController) {
      const controller = new AbortController()
      this.abortController = controller
      const stop = () => controller.abort(new CommandError('Interrupted', 130))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    }
    return this.abortController.signal
  }

  protected verbose(line: string): void {
    if (this.argv.includes('-v') || this.argv.includes('--verbose')) process.stderr.write(`[mega] ${line}\n`)
  }

  /** Writes a line to stdout unless --json is on. */
  protected out(line = ''): void {
    this.log(line)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    const {exitCode, message} = toFailure(error)
    if (this.jsonEnabled()) this.logJson({error: {message, exitCode}})
    else process.stderr.write(`${message}\n`)
    this.exit(exitCode)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.contextInstance?.close()
    return super.finally(error)
  }
}
