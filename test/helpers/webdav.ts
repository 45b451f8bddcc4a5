import {existsSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import type {MegaUser} from './cli.js'
import {runProcess, tempDir} from './cli.js'
import {expectOk} from './expectations.js'

/** A TCP port nothing listens on now (the kernel's pick for a moment). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

/** `webdav <path> --port=P …`: the URL it prints. */
export async function serve(user: MegaUser, path: string, port: number, extra: string[] = []): Promise<string> {
  const out = expectOk(await user.run(['webdav', path, `--port=${port}`, ...extra]))
  const match = /^Serving via webdav .*: (https?:\/\/\S+)$/m.exec(out)
  if (!match) throw new Error(`no URL in: ${out}`)
  return match[1]
}

/** The outcome of one curl request: its status, headers (lower-case names) and body. */
export interface CurlResult {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** One request with curl (the real client): `args` are curl's own options, e.g. ['-X', 'MKCOL']. */
export async function curl(url: string, args: string[] = []): Promise<CurlResult> {
  const dir = tempDir('curl-')
  const [bodyFile, headFile] = [join(dir, 'body'), join(dir, 'head')]
  const result = await runProcess('curl', ['-s', '-k', '-D', headFile, '-o', bodyFile, '-w', '%{http_code}', ...args, url], process.env)
  if (result.code !== 0) throw new Error(`curl ${args.join(' ')} ${url} failed (${result.code}): ${result.stderr}`)
  const headers: Record<string, string> = {}
  // With a 100-continue or several answers in the file, the last head is the answer.
  const heads = readFileSync(headFile, 'latin1').split('\r\n\r\n').filter(Boolean)
  for (const line of (heads.at(-1) ?? '').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return {status: Number(result.stdout), headers, body: existsSync(bodyFile) ? readFileSync(bodyFile) : Buffer.alloc(0)}
}
