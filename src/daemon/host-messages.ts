import type {PromptAnswer, PromptRequest, ServiceCall, ServiceResult, TtyFacts} from './protocol.cjs'

/**
 * The IPC channel between the server and its command hosts (Node's fork channel, `advanced` serialization so
 * output travels as bytes). The server hands a host one command at a time; the host streams the command's output
 * and its questions back, and says when it is done and whether it may run another.
 */

export interface HostJob {
  id: number
  argv: string[]
  cwd: string
  env: Record<string, string>
  tty: TtyFacts
  /** The fingerprint of the session the server's live feed keeps current (feed-state.ts), when it is live. */
  liveSession?: string
}

export type ToHost =
  | {t: 'job'; job: HostJob}
  | {t: 'prompt-answer'; answer: PromptAnswer}
  | {t: 'service-result'; result: ServiceResult}
  /** Output bytes of `fd` the server has passed on to the client: the host may send more (flow control). */
  | {t: 'out-ack'; fd: 1 | 2; bytes: number}

export type FromHost =
  /** Loaded (oclif's configuration, every plugin): ready for a command. `plugins`: the user plugins it loaded (user-plugins.ts). */
  | {t: 'ready'; plugins: string}
  | {t: 'out'; fd: 1 | 2; data: Uint8Array}
  | {t: 'prompt'; request: PromptRequest}
  | {t: 'service-call'; call: ServiceCall}
  /** An API request of the command, for the server's log (api/request-log.ts). */
  | {t: 'api-request'; line: string}
  /** `quit`: stop the server once this command has answered. */
  | {t: 'stop-server'}
  /** The command ended with `code`; `reusable`: the host is clean enough to run another one. */
  | {t: 'done'; code: number; reusable: boolean}

/**
 * Variables of a job's environment a host keeps as the server gave them: the profile's folders (the server is the
 * profile's) and NODE_EXTRA_CA_CERTS, which Node reads only when a process starts (a job that needs another value
 * gets a host started with it: host-pool.ts).
 */
export const HOST_OWN_VARIABLES: ReadonlySet<string> = new Set(['MEGA_SHELL_HOME', 'MEGA_DATA_DIR', 'MEGA_CONFIG_DIR', 'MEGA_CACHE_DIR', 'NODE_EXTRA_CA_CERTS'])
