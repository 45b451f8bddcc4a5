#!/usr/bin/env node
// `npm run bench` (put rate): does the local server slow down as an account grows? `mega put` of one folder of
// `--files` empty files (the case issue 10 names: "a put of 100k empty files starts at ~340 files/s and falls to
// ~37 files/s by 35k nodes"), through the built binary against the local server in its own process. The bench
// counts the account's nodes in the server's database (read-only, beside the running server: WAL) every 200 ms
// and prints the rate (nodes/s) over each window ending at 1k, 10k, 50k, 100k… nodes, plus the server's CPU
// time. `--prefill N` starts from the kept account of N nodes instead (large-account.js), so the put starts in an
// account that is already large.
//
//   node bench/put-rate.js [--files 20000] [--prefill 0]
import {spawn} from 'node:child_process'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import Database from 'better-sqlite3'
import {createAccount} from '@mega-shell/plugin-local-server'
import {describeAccount, EMAIL, largeAccount, PASSWORD} from './large-account.js'
import {startServer, stopServer} from './local-server.js'

const {values} = parseArgs({options: {files: {type: 'string', default: '20000'}, prefill: {type: 'string', default: '0'}}})
const files = Number(values.files)
const prefill = Number(values.prefill)
const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const MILESTONES = [1000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]

const work = await mkdtemp(join(tmpdir(), 'mega-bench-put-'))
let dataDir = join(work, 'server')
if (prefill > 0) {
  const account = await largeAccount(work, {nodes: prefill})
  describeAccount(account)
  dataDir = account.dataDir
} else {
  await createAccount(dataDir, {email: EMAIL, password: PASSWORD})
}
const server = await startServer(dataDir)
try {
  const home = join(work, 'home')
  const env = {...process.env, MEGA_SHELL_HOME: home, HOME: home, MEGA_API_URL: server.url}
  const source = join(work, 'many')
  await mkdir(source)
  for (let i = 0; i < files; i++) await writeFile(join(source, `e${i}.txt`), '')
  await mega(['login', EMAIL, PASSWORD], env)

  const db = new Database(join(dataDir, 'server.db'), {readonly: true})
  // Counted once; then the highest rowid says how many came since (the put only adds), at no cost per sample.
  const start = db.prepare('SELECT COUNT(*) AS n FROM nodes').get().n
  const maxRowid = db.prepare('SELECT MAX(rowid) AS r FROM nodes')
  const rowid0 = maxRowid.get().r
  const nodes = () => start + maxRowid.get().r - rowid0
  console.log(`mega put of ${files} empty files into an account of ${start} nodes`)
  const cpu0 = await serverCpuSeconds(server.process.pid)
  const t0 = performance.now()
  let last = {t: t0, n: start, cpu: cpu0}
  const pending = [...MILESTONES.filter((m) => m > start && m <= start + files), start + files]
  const sampler = setInterval(async () => {
    const now = {t: performance.now(), n: nodes(), cpu: await serverCpuSeconds(server.process.pid)}
    if (pending.length > 0 && now.n >= pending[0]) {
      while (pending.length > 0 && now.n >= pending[0]) pending.shift()
      const rate = (now.n - last.n) / ((now.t - last.t) / 1000)
      const cpuPerK = ((now.cpu - last.cpu) * 1e6) / (now.n - last.n)
      console.log(`  at ${String(now.n).padStart(8)} nodes: ${rate.toFixed(0).padStart(6)} nodes/s, server CPU ${cpuPerK.toFixed(0).padStart(5)} ms per 1000 nodes (since the last line), ${((now.t - t0) / 1000).toFixed(1)} s in`)
      last = now
    }
  }, 200)
  await mega(['put', source, '/'], env)
  clearInterval(sampler)
  const elapsed = (performance.now() - t0) / 1000
  console.log(`  whole put: ${files} files in ${elapsed.toFixed(1)} s = ${(files / elapsed).toFixed(0)} files/s; server CPU ${(await serverCpuSeconds(server.process.pid) - cpu0).toFixed(1)} s`)
  db.close()
} finally {
  await stopServer(server)
  await rm(work, {recursive: true, force: true})
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
async function serverCpuSeconds(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function mega(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEGA_BIN, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mega ${args.join(' ')} exited ${code}: ${stderr}`))))
  })
}
