import {connect, type Socket} from 'node:net'
import {buildId} from './build-id.cjs'
import {decodeJson, encodeJsonFrame, type Frame, FrameReader, FrameType, type FrameTypeCode, type Hello, PROTOCOL_VERSION} from './protocol.cjs'

/** How long a server may take to answer HELLO before it counts as hung. */
const HELLO_TIMEOUT_MS = 10_000

/** A connection to the profile's server, past the HELLO exchange. */
export class ServerConnection {
  private handler?: (frame: Frame) => void
  private queued: Frame[]
  private failure?: Error

  constructor(readonly socket: Socket, readonly hello: Hello, reader: FrameReader, leftover: Frame[]) {
    this.queued = leftover
    // A server that goes away resets the connection (ECONNRESET): 'close' follows and reports it.
    socket.on('error', (error) => (this.failure ??= error))
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[]
      try {
        frames = reader.push(chunk)
      } catch (error) {
        this.failure = error as Error
        socket.destroy()
        return
      }
      for (const frame of frames) this.deliver(frame)
    })
  }

  /** True when the server runs this very build and protocol. */
  get compatible(): boolean {
    return this.hello.protocol === PROTOCOL_VERSION && this.hello.build === buildId()
  }

  /** Frames from the server, in order (those that came with HELLO first). */
  onFrame(handler: (frame: Frame) => void): void {
    this.handler = handler
    const queued = this.queued
    this.queued = []
    for (const frame of queued) handler(frame)
  }

  /** Called once the connection is gone, with the reason when the server sent something unreadable. */
  onClose(handler: (failure?: Error) => void): void {
    this.socket.once('close', () => handler(this.failure))
  }

  sendJson(type: FrameTypeCode, value: unknown): void {
    if (!this.socket.destroyed) this.socket.write(encodeJsonFrame(type, value))
  }

  close(): void {
    this.socket.destroy()
  }

  private deliver(frame: Frame): void {
    if (this.handler) this.handler(frame)
    else this.queued.push(frame)
  }
}

export type ConnectOutcome =
  | {kind: 'connected'; connection: ServerConnection}
  /** No socket file. */
  | {kind: 'absent'}
  /** A socket file nobody listens on: the server crashed (kill -9) and left it. */
  | {kind: 'stale'}
  /** Something listens but does not speak the protocol, or does not answer. */
  | {kind: 'unresponsive'; reason: string}

/** Connects to the socket at `path` and exchanges HELLO. */
export function openConnection(path: string, timeoutMs = HELLO_TIMEOUT_MS): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = connect(path)
    const reader = new FrameReader()
    let settled = false
    const settle = (outcome: ConnectOutcome): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('error', onError)
      socket.off('close', onClose)
      if (outcome.kind !== 'connected') socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => settle({kind: 'unresponsive', reason: `the server at ${path} did not answer within ${timeoutMs / 1000} s`}), timeoutMs)
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'ENOENT') settle({kind: 'absent'})
      else if (error.code === 'ECONNREFUSED') settle({kind: 'stale'})
      else settle({kind: 'unresponsive', reason: `cannot connect to ${path} (${error.code ?? error.message})`})
    }
    const onClose = (): void => settle({kind: 'unresponsive', reason: `the server at ${path} closed the connection`})
    const onData = (chunk: Buffer): void => {
      let frames: Frame[]
      try {
        frames = reader.push(chunk)
      } catch (error) {
        settle({kind: 'unresponsive', reason: `the server at ${path} does not speak the protocol (${(error as Error).message})`})
        return
      }
      if (!frames.length) return
      const [first, ...rest] = frames
      let hello: Hello | undefined
      try {
        if (first.type === FrameType.HELLO) hello = decodeJson<Hello>(first)
      } catch {
        hello = undefined
      }
      if (!hello || typeof hello.pid !== 'number') {
        settle({kind: 'unresponsive', reason: `the server at ${path} does not speak the protocol`})
        return
      }
      // The connection attaches its own data listener in this same tick: no chunk falls between the two.
      settle({kind: 'connected', connection: new ServerConnection(socket, hello, reader, rest)})
    }
    socket.once('connect', () => socket.write(encodeJsonFrame(FrameType.HELLO, {protocol: PROTOCOL_VERSION, build: buildId(), pid: process.pid} satisfies Hello)))
    socket.on('data', onData)
    socket.on('error', onError)
    socket.on('close', onClose)
  })
}
