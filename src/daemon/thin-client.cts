import {basename, join} from 'node:path'
import {isatty} from 'node:tty'
import {exitWhenWritten} from '../command/command-exit.cjs'
import {megaHomeOf} from '../config/home.cjs'
import {type ForwardedSignal, forwardedEnvironment, type RunRequest} from './protocol.cjs'
import {relayCommand, SERVER_LOST_EXIT, ttyFacts} from './command-relay.cjs'
import {reachServer} from './server-launch.cjs'
import type {ServerConnection} from './server-connection.cjs'

/**
 * The `mega-<cmd>` executables (MEGAcmd's `mega-exec`): the command runs in the profile's background server,
 * started on demand; this process only forwards argv, its cwd, its `MEGA_*` environment and TTY facts, streams
 * the output, answers prompts on its terminal, forwards Ctrl-C, and exits with the command's code. It loads no
 * oclif and nothing of the core but the protocol: its start-up is the whole cost of a command.
 *
 * bin/mega-shim (POSIX sh) starts it without NODE_EXTRA_CA_CERTS, which costs ~35 ms at every Node start and is
 * useless here (no TLS), and passes the value along as MEGA_SHELL_EXTRA_CA_CERTS for the server it starts and for
 * the in-process fallback, which do make TLS connections.
 */

const INTERRUPTED_EXIT = 130
/** Signal numbers, for the 128 + n exit of a fallback process killed by a signal. */
const SIGNAL_NUMBERS: Record<string, number> = {SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15}

/** `invokedAs` is the path the executable was called by (`…/mega-ls`), `args` its arguments. */
export async function runThinClient(root: string, invokedAs: string, args: string[]): Promise<void> {
  const env = callerEnvironment()
  const command = basename(invokedAs).replace(/^mega-/, '')
  const verbose = args.includes('-v') || args.includes('--verbose')
  const signals = new SignalForwarding()
  const home = megaHomeOf(env)
  const reach = await reachServer({root, home, env, autoStart: true})
  if (signals.received) return leave(INTERRUPTED_EXIT, 'Interrupted')
  if (reach.kind === 'connected') return relay(reach.connection, {argv: [command, ...args], cwd: callerCwd(), env: forwardedEnvironment(env), tty: ttyFacts(), client: 'node'}, signals)
  // Something wrong with the socket is worth a line; a server that cannot start only with -v (the command works).
  const reason = reach.kind === 'unavailable' ? reach.reason : 'no server'
  if ((reach.kind === 'unavailable' && reach.unusual) || verbose) process.stderr.write(`[mega] background server unavailable (${reason}): running the command in-process\n`)
  signals.stop()
  runInProcess(root, [command, ...args], env)
}

/** The environment the user gave: NODE_EXTRA_CA_CERTS comes back from where bin/mega-shim put it. */
function callerEnvironment(): NodeJS.ProcessEnv {
  const env = {...process.env}
  const carried = env.MEGA_SHELL_EXTRA_CA_CERTS
  delete env.MEGA_SHELL_EXTRA_CA_CERTS
  if (carried) env.NODE_EXTRA_CA_CERTS = carried
  return env
}

function callerCwd(): string {
  try {
    return process.cwd()
  } catch {
    return leave(53, 'The current directory no longer exists')
  }
}

function leave(code: number, line?: string): never {
  if (line) process.stderr.write(`${line}\n`)
  process.exit(code)
}

/**
 * Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) before the command runs end this process; once it runs
 * they are forwarded to the server, which interrupts the command: it cleans up and ends with 130, as in-process.
 */
class SignalForwarding {
  received?: ForwardedSignal
  private target?: (signal: ForwardedSignal) => void
  private readonly listeners: Array<[NodeJS.Signals, () => void]> = []

  constructor() {
    for (const [signal, forwarded] of [['SIGINT', 'SIGINT'], ['SIGTERM', 'SIGTERM'], ['SIGHUP', 'SIGTERM']] as const) {
      const listener = (): void => {
        this.received = forwarded
        if (this.target) this.target(forwarded)
        else leave(INTERRUPTED_EXIT, 'Interrupted')
      }
      process.on(signal, listener)
      this.listeners.push([signal, listener])
    }
  }

  forwardTo(target: (signal: ForwardedSignal) => void): void {
    this.target = target
  }

  stop(): void {
    for (const [signal, listener] of this.listeners) process.off(signal, listener)
  }
}

function relay(connection: ServerConnection, request: RunRequest, signals: SignalForwarding): void {
  // A reader that went away (`| head -1`) is ignored, as oclif does in-process: the command still ends normally.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
  const command = relayCommand(connection, request)
  signals.forwardTo(command.signal)
  void command.exit.then(exitWhenWritten)
}


/**
 * No server: the command runs in a process of its own (`bin/run.js`, as `mega <cmd>`), with the caller's
 * environment, NODE_EXTRA_CA_CERTS included. It shares this terminal's process group, so a Ctrl-C typed there
 * reaches it directly; a signal sent to this process alone (a script's `kill`) is passed on.
 */
function runInProcess(root: string, argv: string[], env: NodeJS.ProcessEnv): void {
  // Loaded only here: a command run by a running server never needs it, and every module costs start-up time.
  const {spawn} = require('node:child_process') as typeof import('node:child_process')
  const child = spawn(process.execPath, [join(root, 'bin', 'run.js'), ...argv], {stdio: 'inherit', env})
  const fromTerminal = isatty(0)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (signal !== 'SIGINT' || !fromTerminal) child.kill(signal)
    })
  }
  child.once('error', (error) => leave(SERVER_LOST_EXIT, `Cannot run the command: ${error.message}`))
  child.once('exit', (code, signal) => process.exit(code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 1)))
}
