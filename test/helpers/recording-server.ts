import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface RecordedRequest {
  method: string
  url: string
  body: string
}

export interface RecordingServer {
  /** Base URL ending in '/', for MEGA_API_URL. */
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Resolves once `count` requests have arrived. */
  received(count?: number): Promise<void>
  close(): Promise<void>
}

/**
 * A plain HTTP server on a random loopback port that records every request and answers as `respond` says
 * (default: never, so a client waits). It stands for a server that is not MEGA's: a wrong MEGA_API_URL, or
 * one that must not see our session.
 */
export async function startRecordingServer(respond?: (req: IncomingMessage, res: ServerResponse) => void): Promise<RecordingServer> {
  const requests: RecordedRequest[] = []
  const waiters: Array<{count: number; resolve: () => void}> = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      requests.push({method: req.method ?? '', url: req.url ?? '', body})
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve()
      respond?.(req, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    received(count = 1) {
      if (requests.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({count, resolve}))
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
