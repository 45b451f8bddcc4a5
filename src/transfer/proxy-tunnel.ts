import net from 'node:net'
import tls from 'node:tls'
import {proxyAuthorization, shownProxy} from '../network/proxy.js'
import {TransferNetworkError} from './transfer-errors.js'

/** A proxy's answer to CONNECT larger than this is no HTTP proxy. */
const MAX_REPLY_HEAD = 16384

/**
 * Opens an HTTP CONNECT tunnel through `proxy` to host:port (RFC 9110 §9.3.6), as the SDK's curl does for a
 * CUSTOM proxy (meganz/sdk src/posix/net.cpp CurlHttpIO::setproxy: CURLOPT_PROXY with CURLOPT_HTTPPROXYTUNNEL). The
 * socket it resolves with carries the transfer's own HTTP (or TLS) from then on; it is paused until its new owner
 * reads from it.
 */
export function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const where = shownProxy(proxy)
  return new Promise((resolve, reject) => {
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '')
    const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80)
    const socket = proxy.protocol === 'https:'
      ? tls.connect({host: proxyHost, port: proxyPort, servername: net.isIP(proxyHost) ? undefined : proxyHost})
      : net.connect({host: proxyHost, port: proxyPort})
    let head = Buffer.alloc(0)
    const fail = (message: string, code?: string): void => {
      socket.destroy()
      reject(Object.assign(new TransferNetworkError(message), code ? {code} : {}))
    }
    // The errno code stays on the error, for the API client's one line ("ECONNREFUSED through the proxy …").
    const onError = (error: NodeJS.ErrnoException): void => fail(`cannot reach the proxy ${where} (${error.code ?? error.message})`, error.code)
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) {
        if (head.length > MAX_REPLY_HEAD) fail(`the proxy ${where} sent no HTTP answer`)
        return
      }
      socket.off('data', onData)
      socket.off('error', onError)
      socket.setTimeout(0)
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1]
      if (status !== '200') return fail(`the proxy ${where} refused the tunnel to ${host}:${port} (HTTP ${status ?? 'answer unreadable'})`)
      socket.pause()
      // Bytes after the proxy's answer already belong to the tunnel.
      if (end + 4 < head.length) socket.unshift(head.subarray(end + 4))
      resolve(socket)
    }
    socket.on('error', onError)
    socket.on('data', onData)
    socket.setTimeout(timeoutMs, () => fail(`the proxy ${where} did not answer`))
    const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`
    const authorization = proxyAuthorization(proxy)
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`, 'latin1')
  })
}
