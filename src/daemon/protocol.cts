/**
 * The wire protocol between the thin clients (`mega-<cmd>`) and the background server (`mega server`), over the
 * profile's unix socket (socket-path.cts).
 *
 * Frames: `[type u8][length u32 big-endian][payload: length bytes]`. Control frames carry UTF-8 JSON; STDOUT and
 * STDERR carry raw bytes (binary-safe: a command may write any byte, `mega-cat` will pipe file contents).
 *
 * A connection:
 *   client → HELLO {protocol, build, pid}           always the first frame, its shape fixed for ever
 *   server → HELLO {protocol, build, pid}           the server's; a client of another protocol or build stops
 *                                                   that server (SIGTERM to `pid`, the socket being the user's
 *                                                   own) and starts its own: an upgrade replaces an old server
 *   then any of:
 *   client → RUN {argv, cwd, env, tty, client?}     at most one per connection: one command, argv without the
 *                                                   `mega` (`["ls", "-l", "/"]`), the caller's local cwd, its
 *                                                   forwarded variables (isForwardedVariable), TTY facts, and
 *                                                   which client it is (for the log)
 *   server → STDOUT bytes / STDERR bytes            the command's output, in order within each stream
 *   server → PROMPT {id, kind, message}             the command asks a question (kind text|secret|confirm): the
 *   client → PROMPT_ANSWER {id, value}              client asks it on its terminal and answers; `cancelled`
 *            PROMPT_ANSWER {id, cancelled: true}    (Ctrl-C in the prompt) or `unavailable` (no terminal: the
 *            PROMPT_ANSWER {id, unavailable: true}  command then fails with 51, never hangs)
 *   client → SIGNAL {signal: SIGINT|SIGTERM}        Ctrl-C: the command is interrupted (exit 130, no partial file)
 *   server → EXIT {code}                            the command ended; the server closes the connection
 *   client → SERVICE_CALL {id, service, method, params}     a request to a service of the server (built-in
 *   server → SERVICE_RESULT {id, result} | {id, error}      `server`: status, stop, log-level; plugins add theirs)
 *   server → ERROR {message, exitCode}              the request cannot be served (a bad frame, a second RUN);
 *                                                   the server closes the connection
 * A client that goes away mid-command stops its command (SIGTERM, then SIGKILL).
 *
 * This module is CommonJS and imports only node built-ins: the thin client loads it, and every millisecond of
 * its start-up counts (it must not load oclif).
 */

/** Bumped on any incompatible change of the frames after HELLO. */
export const PROTOCOL_VERSION = 1

export const FrameType = {
  HELLO: 1,
  RUN: 2,
  STDOUT: 3,
  STDERR: 4,
  EXIT: 5,
  PROMPT: 6,
  PROMPT_ANSWER: 7,
  SIGNAL: 8,
  SERVICE_CALL: 9,
  SERVICE_RESULT: 10,
  ERROR: 11,
} as const
export type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType]

const KNOWN_TYPES = new Set<number>(Object.values(FrameType))
const HEADER_BYTES = 5
/** Larger frames are refused: output is sent in chunks, and nothing else comes near this. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024

export type JsonValue = null | boolean | number | string | JsonValue[] | {[key: string]: JsonValue}

export interface Hello {
  protocol: number
  /** The installed build (build-id.cts): a server of another build is replaced. */
  build: string
  pid: number
}

/** What the command's process must believe about the caller's terminal. */
export interface TtyFacts {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  columns?: number
  rows?: number
}

export interface RunRequest {
  argv: string[]
  cwd: string
  env: Record<string, string>
  tty: TtyFacts
  /** Which client sent it (`node`, `native`: src/native/mega-exec.c, `shell`, …), for the server's log. */
  client?: string
}

export interface ExitNotice {
  code: number
}

export type PromptKind = 'text' | 'secret' | 'confirm'

export interface PromptRequest {
  id: number
  kind: PromptKind
  message: string
}

export interface PromptAnswer {
  id: number
  value?: string | boolean
  /** The user cancelled the prompt (Ctrl-C or Ctrl-D in it). */
  cancelled?: boolean
  /** The client has no terminal to ask on. */
  unavailable?: boolean
}

export type ForwardedSignal = 'SIGINT' | 'SIGTERM'

export interface SignalRequest {
  signal: ForwardedSignal
}

export interface ServiceCall {
  id: number
  service: string
  method: string
  params?: JsonValue
}

export interface ServiceFailure {
  message: string
  exitCode: number
}

export interface ServiceResult {
  id: number
  result?: JsonValue
  error?: ServiceFailure
}

export interface ErrorNotice {
  message: string
  exitCode: number
}

export interface Frame {
  type: number
  payload: Buffer
}

export function encodeFrame(type: FrameTypeCode, payload: Buffer | Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES)
  header.writeUInt8(type, 0)
  header.writeUInt32BE(payload.length, 1)
  return Buffer.concat([header, payload])
}

export function encodeJsonFrame(type: FrameTypeCode, value: unknown): Buffer {
  return encodeFrame(type, Buffer.from(JSON.stringify(value), 'utf8'))
}

/** A frame the peer should not have sent: the connection ends with an ERROR frame naming it. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
}

/** Parses the JSON payload of a control frame. */
export function decodeJson<T>(frame: Frame): T {
  try {
    return JSON.parse(frame.payload.toString('utf8')) as T
  } catch {
    throw new ProtocolError(`frame ${frame.type}: the payload is not JSON`)
  }
}

/**
 * Splits a byte stream into frames. `push` takes whatever the socket delivered and returns the complete frames
 * in it; a partial frame waits for the next chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = []
  private buffered = 0

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk)
    this.buffered += chunk.length
    const frames: Frame[] = []
    for (;;) {
      if (this.buffered < HEADER_BYTES) break
      const head = this.peek(HEADER_BYTES)
      const type = head.readUInt8(0)
      const length = head.readUInt32BE(1)
      if (!KNOWN_TYPES.has(type)) throw new ProtocolError(`unknown frame type ${type}`)
      if (length > MAX_FRAME_BYTES) throw new ProtocolError(`frame of ${length} bytes (the limit is ${MAX_FRAME_BYTES})`)
      if (this.buffered < HEADER_BYTES + length) break
      const whole = this.take(HEADER_BYTES + length)
      frames.push({type, payload: whole.subarray(HEADER_BYTES)})
    }
    return frames
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0].length < bytes) this.chunks = [Buffer.concat(this.chunks)]
    return this.chunks[0]
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)
    const taken = all.subarray(0, bytes)
    const rest = all.subarray(bytes)
    this.chunks = rest.length ? [rest] : []
    this.buffered = rest.length
    return taken
  }
}

/**
 * The caller's environment variables a command sees: `MEGA_*` (API URL, cwd pin, password, prompt switch, …) and
 * the few a command's output or files depend on (time zone, locale, terminal, temporary folder, proxies). Only
 * these travel with a job; the rest of the command's environment is the server's.
 */
export function isForwardedVariable(name: string): boolean {
  return name.startsWith('MEGA_') || name.startsWith('LC_') || FORWARDED.has(name)
}

const FORWARDED = new Set([
  'TZ', 'LANG', 'LANGUAGE', 'TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'COLUMNS', 'LINES', 'TMPDIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS',
])

/** The forwarded variables of an environment. */
export function forwardedEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value !== undefined && isForwardedVariable(name)) picked[name] = value
  return picked
}
