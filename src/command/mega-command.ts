import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import {MegaContext} from '../session/context.js'
import {inShareRoots} from '../tree/in-shares.js'
import {PathResolver} from '../tree/path-resolver.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import {printable, printableLine} from '../format/printable.js'
import {isDamagedDatabase} from '../store/database.js'
import {recoveryNotice} from '../store/cache-recovery.js'
import {NotFoundError} from '../errors.js'
import {redactSecrets, toFailure} from './exit-codes.js'
import type {ArgumentFailures} from './argument-failures.js'
import {commandInterrupt, installInterruptHandler} from './interrupt.js'
import {callService} from '../daemon/server-client.js'
import type {JsonValue} from '../daemon/protocol.cjs'

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

  abstract override run(): Promise<T>

  override async init(): Promise<void> {
    // Normally done by bin/run.js already; a host that runs commands another way gets it here.
    installInterruptHandler()
    await super.init()
  }

  /** The cache + API of this process, opened on first use. */
  protected get context(): MegaContext {
    if (!this.contextInstance) {
      this.contextInstance = new MegaContext({log: (line) => this.verbose(line), warn: (line) => this.warn(line), commandContext: true})
    }
    return this.contextInstance
  }

  /**
   * A resolver for remote paths relative to the cwd (`MEGA_CWD` pins a path for scripts), folders shared with the
   * account included (`user@mail:share/…`).
   */
  protected resolver(): PathResolver {
    const ctx = this.context
    const roots = {
      root: ctx.root(NodeType.ROOT), inbox: ctx.nodes.root(NodeType.INBOX), rubbish: ctx.nodes.root(NodeType.RUBBISH),
      inShares: () => inShareRoots(ctx.nodes, ctx.shares, ctx.contacts, true),
    }
    const pinned = process.env.MEGA_CWD
    const cwd = (): MegaNode => {
      if (!pinned) return ctx.cwdNode()
      // A pinned cwd that does not resolve is an error, never the root in its place.
      const node = new PathResolver(ctx.nodes, roots, roots.root).resolveOne(pinned)
      if (!node || node.type === NodeType.FILE) throw new NotFoundError(`MEGA_CWD=${pinned}: no such remote folder`)
      return node
    }
    return new PathResolver(ctx.nodes, roots, cwd)
  }

  /**
   * Aborted on Ctrl-C (SIGINT) or SIGTERM, so long operations stop cleanly: transfers remove their temporary
   * files instead of the process dying mid-write. The command then fails with exit 130. A command that never
   * asks for it is simply ended with exit 130 (command/interrupt.ts).
   */
  protected get interrupt(): AbortSignal {
    return commandInterrupt()
  }

  /**
   * Calls a method of a service of the background server (daemon/services.ts), which is started if it is not
   * running. Fails with the service's exit code.
   */
  protected callService<R extends JsonValue = JsonValue>(service: string, method: string, params?: JsonValue): Promise<R> {
    return callService<R>(service, method, params, {root: this.config.root})
  }

  protected verbose(line: string): void {
    if (this.argv.includes('-v') || this.argv.includes('--verbose')) process.stderr.write(`[mega] ${printable(redactSecrets(line))}\n`)
  }

  /**
   * Something the user should know that does not fail the command (a renamed download, a rebuilt cache): a line
   * on stderr, or with --json an entry of the result's `warnings` array, so JSON consumers see it too.
   */
  override warn(input: string | Error): string | Error {
    const text = redactSecrets(typeof input === 'string' ? input : input.message)
    if (this.jsonEnabled()) this.warnings.push(text)
    else process.stderr.write(`${printable(text)}\n`)
    return input
  }

  private readonly warnings: string[] = []

  protected override toSuccessJson(result: unknown): unknown {
    if (!result || typeof result !== 'object' || Array.isArray(result)) return result
    return this.withWarnings(result)
  }

  private withWarnings<R extends object>(json: R): R & {warnings?: string[]} {
    return this.warnings.length ? {...json, warnings: this.warnings} : json
  }

  /**
   * Writes a line to stdout unless --json is on. Characters that could act on a terminal are escaped: names in
   * it come from other users (format/printable.ts); its own tabs and newlines are layout.
   */
  protected out(line = ''): void {
    this.log(printableLine(line))
  }

  /** out() for many lines in one write: a `find` of 100 000 nodes would otherwise pay for 100 000 writes. */
  protected outLines(lines: string[]): void {
    if (lines.length) this.log(lines.map(printableLine).join('\n'))
  }

  /**
   * Ends a command that carried on past failed arguments: without failures, its result; otherwise one line per
   * failure on stderr and the exit code of the last failure. With --json: the result, `error` (the failure that
   * gives the exit code, as any failed command has) and `errors` (all of them).
   */
  protected settle<R extends object>(result: R, failures: ArgumentFailures): R {
    const last = failures.last
    if (!last) return result
    if (this.jsonEnabled()) this.logJson(this.withWarnings({...result, error: last, errors: failures.failures}))
    else for (const {message} of failures.failures) process.stderr.write(`${message}\n`)
    this.exit(last.exitCode)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    if (isDamagedDatabase(error) && this.contextInstance) {
      // Damage found mid-command: the cache is rebuilt for the next command, this one reports it and stops.
      const recovery = this.contextInstance.rebuildDamagedCache()
      return this.fail(`${recoveryNotice(recovery)} Run the command again.`, 59)
    }
    const {exitCode, message} = toFailure(error)
    return this.fail(message, exitCode)
  }

  private fail(message: string, exitCode: number): never {
    if (this.jsonEnabled()) this.logJson(this.withWarnings({error: {message, exitCode}}))
    else process.stderr.write(`${message}\n`)
    this.exit(exitCode)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.contextInstance?.close()
    return super.finally(error)
  }
}
