import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {REPO, runProcess, tempDir, type CliResult, type RunOptions} from './cli.js'
import {processIds} from './processes.js'

/**
 * The original MEGAcmd 2.5.2 (MEGA's C++ client on the official SDK), from `../shared/tools/megacmd` beside the
 * clone (its README says how it is built and run). It is the strictest client of the local server and the
 * reference for what our commands print. `MEGACMD_TOOL` may name another copy.
 */
export const MEGACMD_TOOL = process.env.MEGACMD_TOOL ?? resolve(REPO, '..', 'shared', 'tools', 'megacmd', 'megacmd')

/** Fails loudly when the tool is missing: the MEGAcmd suite must never pass by testing nothing. */
export function requireMegaCmd(): void {
  if (!existsSync(MEGACMD_TOOL)) {
    throw new Error(`MEGAcmd is missing at ${MEGACMD_TOOL}: the MEGAcmd suite needs ../shared/tools/megacmd (or MEGACMD_TOOL)`)
  }
}

/**
 * One MEGAcmd profile against one API server: its own MEGACMD_HOME (session, socket, the mega-cmd-server's
 * log). Every call goes through MEGAcmd's own thin client `mega-exec` to its background server, as a script
 * would; stdin is closed so no command waits for an answer.
 */
export class MegaCmd {
  readonly home = tempDir('megacmd-home-')

  constructor(readonly apiUrl: string, private readonly extraEnv: Record<string, string> = {}) {}

  env(): NodeJS.ProcessEnv {
    return {...process.env, MEGACMD_API_URL: this.apiUrl, MEGACMD_HOME: this.home, ...this.extraEnv}
  }

  /** `megacmd <command> <args…>`: MEGAcmd's exit code, stdout and stderr. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return runProcess(MEGACMD_TOOL, args, {...this.env(), ...options.env}, {timeoutMs: 120_000, ...options})
  }

  /** Stops this profile's mega-cmd-server (the saved session stays, so a later command resumes it). */
  async stop(): Promise<void> {
    await runProcess(MEGACMD_TOOL, ['--stop'], this.env(), {timeoutMs: 60_000})
  }

  /**
   * Pids of this profile's mega-cmd-server, read from /proc: the wrapper starts it detached (setsid) as
   * `libexec/mega-cmd-server --apiurl <apiUrl> …`, one per API URL.
   */
  serverPids(): number[] {
    const url = this.apiUrl.endsWith('/') ? this.apiUrl : `${this.apiUrl}/`
    return processIds((argv) => {
      const at = argv.indexOf('--apiurl')
      return argv[0]?.endsWith('/mega-cmd-server') === true && at >= 0 && argv[at + 1] === url
    })
  }

  /** The server's log file (FULLVERBOSE when MEGACMD_LOGLEVEL was set before it started). */
  get logFile(): string {
    return join(this.home, '.megaCmd', 'megacmdserver.log')
  }
}

/** MEGAcmd's error messages: its stderr log lines `[<time> cmd ERR  <message>]`, without its usage lines. */
export function megacmdErrors(stderr: string): string[] {
  const messages: string[] = []
  for (const line of stderr.split('\n')) {
    const match = /^\[\S+ cmd (?:ERR|CRIT) {2}(.*)\]$/.exec(line)
    // The usage line MEGAcmd logs after some errors is indented (megacmdexecuter.cpp: `"      " << getUsageStr`).
    if (match && !match[1].startsWith('      ')) messages.push(match[1])
  }
  return messages
}

/** Our error lines: one per line of stderr. */
export function ourErrors(stderr: string): string[] {
  return stderr.split('\n').filter(Boolean)
}
