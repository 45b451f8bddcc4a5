import type {Socket} from 'node:net'
import {toFailure} from '../command/exit-codes.js'
import {ExitCode} from '../errors.js'
import type {DaemonLog} from './daemon-log.js'
import type {CommandHost, HostPool} from './host-pool.js'
import {
  decodeJson, encodeFrame, encodeJsonFrame, type Frame, FrameReader, FrameType, type FrameTypeCode, type Hello, type JsonValue,
  type PromptAnswer, ProtocolError, type RunRequest, type ServiceCall, type ServiceResult, type SignalRequest,
} from './protocol.cjs'

/** A client that connects and says nothing is dropped after this long. */
const HELLO_TIMEOUT_MS = 10_000

/** What a client connection needs of the server (daemon.ts). */
export interface SessionServer {
  readonly log: DaemonLog
  readonly pool: HostPool
  readonly stopping: boolean
  hello(): Hello
  /** Before a command runs: the fingerprint of the session the live feed keeps current, if it is live. */
  beforeCommand(): string | undefined
  /** After a command: it may have logged in or out. */
  afterCommand(): void
  callService(service: string, method: string, params: JsonValue | undefined): Promise<JsonValue>
  requestStop(reason: string): void
}

let lastCommandId = 0

/** One client connection (protocol.cts): its HELLO, at most one command, any number of service calls. */
export class ClientSession {
  private state: 'hello' | 'open' | 'running' | 'finished' = 'hello'
  private host?: CommandHost
  private stopServerAfter = false
  /** The client has gone (or was refused). */
  private gone = false
  private readonly helloTimer: NodeJS.Timeout

  constructor(private readonly socket: Socket, private readonly server: SessionServer) {
    const reader = new FrameReader()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) this.receive(frame)
      } catch (error) {
        this.refuse(error as Error)
      }
    })
    // A client that vanished (EPIPE, ECONNRESET): 'close' follows and stops its command.
    socket.on('error', () => undefined)
    socket.on('close', () => this.closed())
    this.helloTimer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS).unref()
  }

  private receive(frame: Frame): void {
    if (this.state === 'hello') {
      if (frame.type !== FrameType.HELLO) throw new ProtocolError('the first frame must be HELLO')
      decodeJson<Hello>(frame)
      clearTimeout(this.helloTimer)
      this.state = 'open'
      this.sendJson(FrameType.HELLO, this.server.hello())
      return
    }
    switch (frame.type) {
      case FrameType.RUN:
        if (this.state !== 'open') throw new ProtocolError('one command per connection')
        this.state = 'running'
        void this.run(checkedRun(decodeJson<RunRequest>(frame)))
        return
      case FrameType.PROMPT_ANSWER:
        this.host?.answerPrompt(decodeJson<PromptAnswer>(frame))
        return
      case FrameType.SIGNAL: {
        const {signal} = decodeJson<SignalRequest>(frame)
        if (signal !== 'SIGINT' && signal !== 'SIGTERM') throw new ProtocolError(`cannot forward the signal ${String(signal)}`)
        this.host?.signal(signal)
        return
      }
      case FrameType.SERVICE_CALL: {
        const call = decodeJson<ServiceCall>(frame)
        void this.answerCall(call, (result) => this.sendJson(FrameType.SERVICE_RESULT, result))
        return
      }
      default:
        throw new ProtocolError(`frame type ${frame.type} is not one a client sends`)
    }
  }

  private async run(request: RunRequest): Promise<void> {
    const id = ++lastCommandId
    let host: CommandHost
    try {
      host = await this.server.pool.acquire(request.env.NODE_EXTRA_CA_CERTS ?? '')
    } catch (error) {
      this.refuse(error as Error)
      return
    }
    if (this.gone) {
      host.release()
      return
    }
    this.host = host
    host.run({...request, id, liveSession: this.server.beforeCommand()}, {
      output: (fd, data, sent) => this.send(fd === 1 ? FrameType.STDOUT : FrameType.STDERR, data, sent),
      prompt: (prompt) => this.sendJson(FrameType.PROMPT, prompt),
      serviceCall: (call) => void this.answerCall(call, (result) => host.serviceResult(result)),
      stopServer: () => (this.stopServerAfter = true),
      done: (code) => this.finish(id, code),
    })
    // Logged once the host has the command (a synchronous append to server.log): not in the command's latency.
    this.server.log.info(`command ${id}: ${request.argv[0] ?? ''} (host ${host.pid}, ${request.client ?? 'unnamed'} client)`)
  }

  private finish(id: number, code: number): void {
    this.state = 'finished'
    this.host = undefined
    // The client has its exit code first; the log and the live feed's check (a login, a logout) come after.
    this.sendJson(FrameType.EXIT, {code})
    this.socket.end()
    this.server.log.info(`command ${id}: exit ${code}${this.gone ? ' (its client had left)' : ''}`)
    this.server.afterCommand()
    if (this.stopServerAfter) this.server.requestStop('quit')
  }

  private async answerCall(call: ServiceCall, reply: (result: ServiceResult) => void): Promise<void> {
    try {
      if (typeof call.service !== 'string' || typeof call.method !== 'string') throw new ProtocolError('a service call names a service and a method')
      reply({id: call.id, result: await this.server.callService(call.service, call.method, call.params)})
    } catch (error) {
      reply({id: call.id, error: toFailure(error)})
    }
  }

  /** A frame the server cannot serve: one ERROR frame naming it, then the connection ends (its command too). */
  private refuse(error: Error): void {
    const exitCode = error instanceof ProtocolError ? ExitCode.EARGS : ExitCode.EUNEXPECTED
    this.server.log.warn(`client refused: ${error.message}`)
    this.sendJson(FrameType.ERROR, {message: `mega-shell server: ${error.message}`, exitCode})
    this.socket.end()
    this.closed()
  }

  private closed(): void {
    this.gone = true
    clearTimeout(this.helloTimer)
    // The client went away mid-command (Ctrl-C'd terminal, killed script, broken pipe): the command stops.
    if (this.state === 'running') this.host?.stop()
  }

  private send(type: FrameTypeCode, payload: Buffer, sent?: () => void): void {
    if (this.socket.destroyed || !this.socket.writable) return sent?.()
    this.socket.write(encodeFrame(type, payload), () => sent?.())
  }

  private sendJson(type: FrameTypeCode, value: unknown): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeJsonFrame(type, value))
  }
}

/** A RUN request as the protocol defines it, or a ProtocolError. */
function checkedRun(request: RunRequest): RunRequest {
  const strings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string')
  const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value)
  if (!isObject(request) || !strings(request.argv) || typeof request.cwd !== 'string' || !isObject(request.env) || !isObject(request.tty)) {
    throw new ProtocolError('a RUN frame holds argv (strings), cwd, env and tty')
  }
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.env)) if (typeof value === 'string') env[name] = value
  const {stdin, stdout, stderr, columns, rows} = request.tty
  const size = (value: unknown): number | undefined => (typeof value === 'number' && value > 0 ? value : undefined)
  const client = typeof request.client === 'string' ? request.client.slice(0, 32) : undefined
  return {argv: request.argv, cwd: request.cwd, env, tty: {stdin: stdin === true, stdout: stdout === true, stderr: stderr === true, columns: size(columns), rows: size(rows)}, client}
}
