import net from 'node:net'

/** A small HTTP CONNECT proxy for tests: tunnels to loopback ports, counts them, and may demand credentials. */
export interface ConnectProxy {
  readonly url: string
  /** host:port of every tunnel opened, in order. */
  readonly tunnels: string[]
  /** Cuts every open tunnel (the proxy keeps listening). */
  cutTunnels(): void
  close(): Promise<void>
}

export async function startConnectProxy(options: {credentials?: string} = {}): Promise<ConnectProxy> {
  const tunnels: string[] = []
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    open.add(client)
    client.on('close', () => open.delete(client))
    client.on('error', () => undefined)
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onData)
      const text = head.toString('latin1', 0, end)
      const target = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]/.exec(text)
      const authorization = /^proxy-authorization: *(.+)$/im.exec(text)?.[1].trim()
      if (!target) return void client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n')
      if (options.credentials && authorization !== `Basic ${Buffer.from(options.credentials).toString('base64')}`) {
        return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n')
      }
      const upstream = net.connect({host: target[1].replace(/^\[|\]$/g, ''), port: Number(target[2])})
      open.add(upstream)
      upstream.on('close', () => open.delete(upstream))
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
      upstream.once('connect', () => {
        tunnels.push(`${target[1]}:${target[2]}`)
        client.write('HTTP/1.1 200 Connection established\r\n\r\n')
        const rest = head.subarray(end + 4)
        if (rest.length > 0) upstream.write(rest)
        client.pipe(upstream)
        upstream.pipe(client)
      })
    }
    client.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    cutTunnels: () => {
      for (const socket of open) socket.destroy()
    },
    close: () => new Promise((resolve) => {
      for (const socket of open) socket.destroy()
      server.close(() => resolve())
    }),
  }
}

/** A loopback port nothing listens on (it was free a moment ago): connections to it are refused. */
export async function refusingPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
