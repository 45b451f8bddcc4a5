#!/usr/bin/env node
// `npm run bench` (webdav): the targets of the webdav plugin's issue, through the built binary against the local server
// in its own process, the profile's background server serving /bench with `mega webdav /bench --port=PORT`.
// 1. Throughput: a full GET of a --size-mib MiB file (random bytes, uploaded once with `mega put`) through WebDAV,
//    streamed to a file by Node's http client, against `mega get` of the same file; best of two each, in MB/s.
//    Target: WebDAV ≥ 0.70x `mega get`.
// 2. A byte range: 1 MiB at offset 200 MiB (`Range: bytes=209715200-210763775`): what the local server process
//    wrote meanwhile (/proc/<pid>/io wchar: sockets and files) is what came from storage. Target ≤ 2 MiB; the
//    answer is a 206 with exactly those bytes of the original.
// 3. PROPFIND `Depth: 1` of a folder of --entries entries (empty files uploaded with `mega put`): median of 5 after
//    a warm-up, the answer holding entries + 1 <D:response> elements. Target ≤ 500 ms.
//
//   node bench/webdav.js [--size-mib 256] [--entries 10000]
import {spawnSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {request} from 'node:http'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer, stopServer} from './local-server.js'

const {values} = parseArgs({options: {'size-mib': {type: 'string', default: '256'}, entries: {type: 'string', default: '10000'}}})
const sizeMiB = Number(values['size-mib'])
const entries = Number(values.entries)
const MiB = 1024 * 1024
const size = sizeMiB * MiB
const RANGE_START = 200 * MiB
const RANGE_LENGTH = MiB
const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const EMAIL = 'bench-webdav@example.com'
const PASSWORD = 'bench webdav password'
const RATIO_TARGET = 0.7
const RANGE_TARGET_MIB = 2
const PROPFIND_TARGET_MS = 500

const work = await mkdtemp(join(tmpdir(), 'mega-bench-webdav-'))
const dataDir = join(work, 'server')
await createAccount(dataDir, {email: EMAIL, password: PASSWORD})
const server = await startServer(dataDir)
const home = join(work, 'home')
const env = {...process.env, MEGA_SHELL_HOME: home, HOME: home, MEGA_API_URL: server.url}
try {
  mega(['login', EMAIL, PASSWORD])
  console.log(`webdav bench: a file of ${sizeMiB} MiB, a folder of ${entries} entries; machine load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)

  // The data: one big file of random bytes, one folder of many empty files.
  const big = join(work, 'big.bin')
  const digest = writeRandomFile(big, size)
  const many = join(work, 'many')
  mkdirSync(many)
  for (let i = 0; i < entries; i++) writeFileSync(join(many, `e${i}.txt`), '')
  mega(['mkdir', '/bench'])
  let t0 = performance.now()
  mega(['put', big, '/bench'])
  console.log(`  put of the ${sizeMiB} MiB file: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  t0 = performance.now()
  mega(['put', many, '/bench'])
  console.log(`  put of the folder of ${entries} entries: ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  // Serve /bench on a free port.
  const port = await freePort()
  const served = mega(['webdav', '/bench', `--port=${port}`]).trim()
  console.log(`  ${served}`)
  const base = /: (http:\/\/\S+)$/.exec(served)?.[1]?.replace(/\/$/, '')
  if (!base) throw new Error(`no URL in: ${served}`)
  const fileUrl = `${base}/big.bin`
  const folderUrl = `${base}/many/`
  // The background server learns of the uploads from the API server: wait until it serves both.
  await until(async () => (await head(fileUrl)).status === 200, 'the file over WebDAV')
  await until(async () => countResponses((await propfind(folderUrl)).body) === entries + 1, 'the whole folder over WebDAV')

  // 1. Throughput: mega get, then GET over WebDAV; best of two each.
  const getRates = []
  for (let run = 0; run < 2; run++) {
    const dir = join(work, `get${run}`)
    mkdirSync(dir)
    t0 = performance.now()
    mega(['get', '/bench/big.bin', dir])
    const seconds = (performance.now() - t0) / 1000
    const got = await sha256File(join(dir, 'big.bin'))
    if (got !== digest) throw new Error(`mega get: sha256 ${got}, expected ${digest}`)
    getRates.push(size / 1e6 / seconds)
    await rm(dir, {recursive: true, force: true})
    console.log(`  mega get, run ${run + 1}: ${seconds.toFixed(2)} s = ${getRates.at(-1).toFixed(1)} MB/s`)
  }
  const davRates = []
  for (let run = 0; run < 2; run++) {
    const file = join(work, `dav${run}.bin`)
    t0 = performance.now()
    const {status, bytes} = await download(fileUrl, file)
    const seconds = (performance.now() - t0) / 1000
    if (status !== 200 || bytes !== size) throw new Error(`WebDAV GET: status ${status}, ${bytes} bytes of ${size}`)
    const got = await sha256File(file)
    if (got !== digest) throw new Error(`WebDAV GET: sha256 ${got}, expected ${digest}`)
    davRates.push(size / 1e6 / seconds)
    await rm(file, {force: true})
    console.log(`  WebDAV GET, run ${run + 1}: ${seconds.toFixed(2)} s = ${davRates.at(-1).toFixed(1)} MB/s (status ${status}, sha256 matches)`)
  }
  const getBest = Math.max(...getRates)
  const davBest = Math.max(...davRates)
  const ratio = davBest / getBest

  // 2. A range of 1 MiB at 200 MiB: the bytes the local server wrote meanwhile.
  const rangeEnd = RANGE_START + RANGE_LENGTH - 1
  let range
  if (rangeEnd < size) {
    const wchar0 = wchar(server.process.pid)
    const answer = await fetchBody(fileUrl, {Range: `bytes=${RANGE_START}-${rangeEnd}`})
    const movedMiB = (wchar(server.process.pid) - wchar0) / MiB
    const expected = Buffer.alloc(RANGE_LENGTH)
    const fd = openSync(big, 'r')
    readSync(fd, expected, 0, RANGE_LENGTH, RANGE_START)
    closeSync(fd)
    range = {status: answer.status, contentRange: answer.headers['content-range'], length: answer.body.length, equal: answer.body.equals(expected), movedMiB}
    console.log(`  WebDAV GET of bytes=${RANGE_START}-${rangeEnd}: status ${range.status}, Content-Range ${range.contentRange}, ${range.length} bytes, ${range.equal ? 'equal to' : 'DIFFERENT from'} the original's; local server wrote ${movedMiB.toFixed(2)} MiB meanwhile`)
  } else {
    console.log(`  (no range measurement: the file of ${sizeMiB} MiB ends before ${rangeEnd + 1})`)
  }

  // 3. PROPFIND Depth: 1 of the folder: a warm-up, then the median of 5.
  const times = []
  let responses
  for (let run = 0; run < 6; run++) {
    t0 = performance.now()
    const answer = await propfind(folderUrl)
    const ms = performance.now() - t0
    responses = countResponses(answer.body)
    if (answer.status !== 207) throw new Error(`PROPFIND: status ${answer.status}`)
    if (run > 0) times.push(ms)
  }
  const propfindMs = median(times)
  const propfindBytes = (await propfind(folderUrl)).body.length
  console.log(`  PROPFIND Depth: 1 of ${entries} entries: median ${propfindMs.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')} ms), ${responses} <D:response> elements, ${(propfindBytes / MiB).toFixed(1)} MiB of XML`)

  console.log('summary:')
  console.log(`  WebDAV GET of ${sizeMiB} MiB ≥ ${RATIO_TARGET}x mega get: ${davBest.toFixed(1)} MB/s vs ${getBest.toFixed(1)} MB/s = ${ratio.toFixed(2)}x (${ratio >= RATIO_TARGET ? 'met' : 'MISSED'})`)
  if (range) {
    const ok = range.movedMiB <= RANGE_TARGET_MIB && range.status === 206 && range.equal && range.length === RANGE_LENGTH
    console.log(`  1 MiB at 200 MiB moves ≤ ${RANGE_TARGET_MIB} MiB from the local server: ${range.movedMiB.toFixed(2)} MiB, status ${range.status}, bytes ${range.equal ? 'equal' : 'DIFFERENT'} (${ok ? 'met' : 'MISSED'})`)
  }
  const propfindOk = propfindMs <= PROPFIND_TARGET_MS && responses === entries + 1
  console.log(`  PROPFIND Depth: 1 of ${entries} entries ≤ ${PROPFIND_TARGET_MS} ms: ${propfindMs.toFixed(0)} ms (${(PROPFIND_TARGET_MS / propfindMs).toFixed(1)}x ${propfindMs <= PROPFIND_TARGET_MS ? 'better' : 'worse'}), ${responses}/${entries + 1} responses (${propfindOk ? 'met' : 'MISSED'})`)
  // What the webdav service logged (its errors are warnings in the server's log).
  for (const line of readFileSync(join(home, 'server.log'), 'utf8').split('\n')) if (/service webdav/.test(line)) console.log(`  log: ${line.replace(/^.*service webdav: /, '')}`)
} finally {
  spawnSync(process.execPath, [MEGA_BIN, 'quit'], {env})
  await stopServer(server)
  await rm(work, {recursive: true, force: true})
}

function mega(args) {
  const result = spawnSync(process.execPath, [MEGA_BIN, ...args], {env, encoding: 'utf8', maxBuffer: 64 * MiB})
  if (result.status !== 0) throw new Error(`mega ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`)
  return result.stdout
}

/** Writes `bytes` random bytes to `path`; returns their sha256 (hex). */
function writeRandomFile(path, bytes) {
  const hash = createHash('sha256')
  const fd = openSync(path, 'w')
  for (let done = 0; done < bytes; done += 4 * MiB) {
    const chunk = randomBytes(Math.min(4 * MiB, bytes - done))
    hash.update(chunk)
    writeSync(fd, chunk)
  }
  closeSync(fd)
  return hash.digest('hex')
}

function sha256File(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')))
  })
}

/** A port nothing listens on now: the one the system gives a listener on port 0. */
function freePort() {
  return new Promise((resolve, reject) => {
    const listener = createServer()
    listener.on('error', reject)
    listener.listen(0, '127.0.0.1', () => {
      const {port} = listener.address()
      listener.close(() => resolve(port))
    })
  })
}

/** An HTTP request; resolves with the response (its body not read). */
function send(url, method, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const req = request(url, {method, headers}, resolve)
    req.on('error', reject)
    req.end(body)
  })
}

async function fetchBody(url, headers = {}, method = 'GET', body = undefined) {
  const res = await send(url, method, headers, body)
  const chunks = []
  for await (const chunk of res) chunks.push(chunk)
  return {status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks)}
}

async function head(url) {
  const res = await send(url, 'HEAD')
  res.resume()
  return {status: res.statusCode}
}

function propfind(url) {
  const body = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'
  return fetchBody(url, {Depth: '1', 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body)}, 'PROPFIND', body)
}

function countResponses(body) {
  return body.toString('utf8').split('<D:response>').length - 1
}

/** A GET streamed to `path`; resolves once the file is written, with the status and the bytes written. */
async function download(url, path) {
  const res = await send(url, 'GET')
  const out = createWriteStream(path)
  let bytes = 0
  res.on('data', (chunk) => (bytes += chunk.length))
  await new Promise((resolve, reject) => {
    res.on('error', reject)
    out.on('error', reject)
    out.on('finish', resolve)
    res.pipe(out)
  })
  return {status: res.statusCode, bytes}
}

/** Bytes a process has written (to files and sockets) so far: /proc/<pid>/io `wchar`. */
function wchar(pid) {
  return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1])
}

async function until(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
