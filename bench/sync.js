#!/usr/bin/env node
// `npm run bench` (sync): the targets of issue 12, through the built binary against the local server in its own
// process, two profiles of one account like two machines.
// 1. Initial sync of --files small files (1 KiB): up (machine A's folder into an empty remote folder) and down (machine
//    B's empty folder from it), in files/s. Target ≥ 500 files/s each way.
// 2. Latency, median of --samples: a file written on A until the local server has its node (local → remote), and a
//    file uploaded by a third client (megajs) until it is on A's disk (remote → local). Target ≤ 2 s each.
// 3. Idle: three syncs of --files files each on one background server: its CPU over --idle-s seconds with nothing
//    changing (target ≈ 0) and its RSS; `--rss-files N` (e.g. 100000) also measures the RSS of one sync of N files
//    (target ≤ 200 MiB at 100,000).
//
//   node bench/sync.js [--files 10000] [--samples 10] [--idle-s 10] [--rss-files 0] [--rss-only]
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import Database from 'better-sqlite3'
import {Storage} from 'megajs'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer, stopServer} from './local-server.js'

const {values} = parseArgs({options: {files: {type: 'string', default: '10000'}, samples: {type: 'string', default: '10'}, 'idle-s': {type: 'string', default: '10'}, 'rss-files': {type: 'string', default: '0'}, 'rss-only': {type: 'boolean', default: false}}})
const files = Number(values.files)
const samples = Number(values.samples)
const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const EMAIL = 'bench-sync@example.com'
const PASSWORD = 'bench sync password'

const work = await mkdtemp(join(tmpdir(), 'mega-bench-sync-'))
const dataDir = join(work, 'server')
await createAccount(dataDir, {email: EMAIL, password: PASSWORD})
const server = await startServer(dataDir)
const machine = (name) => {
  const home = join(work, name)
  return {home, env: {...process.env, MEGA_SHELL_HOME: home, HOME: home, MEGA_API_URL: server.url}}
}
const a = machine('a')
const b = machine('b')
try {
  mega(['login', EMAIL, PASSWORD], a)
  mega(['login', EMAIL, PASSWORD], b)
  console.log(`sync bench: ${files} files of 1 KiB; machine load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)

  const db = new Database(join(dataDir, 'server.db'), {readonly: true})
  if (!values['rss-only']) await targets(db)
  const rssFiles = Number(values['rss-files'])
  if (rssFiles > 0) await rss(rssFiles)
  db.close()
} finally {
  for (const m of [a, b]) spawnSync(process.execPath, [MEGA_BIN, 'quit'], {env: m.env})
  await stopServer(server)
  await rm(work, {recursive: true, force: true})
}

/** Parts 1 to 3: the initial syncs, the latencies, three idle syncs. */
async function targets(db) {
  // 1. Initial sync, up then down.
  const upDir = join(work, 'up')
  fillFolder(upDir, files)
  mega(['mkdir', '/bench'], a)
  const nodes = db.prepare('SELECT MAX(rowid) AS r FROM nodes')
  const rowid0 = nodes.get().r
  let t0 = performance.now()
  mega(['sync', upDir, '/bench'], a)
  await until(() => nodes.get().r - rowid0 >= files + folderCount(files))
  const upSeconds = (performance.now() - t0) / 1000
  report('initial sync up', files, upSeconds)
  const downDir = join(work, 'down')
  mkdirSync(downDir)
  t0 = performance.now()
  mega(['sync', downDir, '/bench'], b)
  await until(() => countFiles(downDir) >= files, 200)
  report('initial sync down', files, (performance.now() - t0) / 1000)
  await synced(a)
  await synced(b)

  // 2. Latency both ways.
  const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server.url, keepalive: false}).ready
  const benchFolder = storage.root.children.find((n) => n.name === 'bench')
  const upLatency = []
  const downLatency = []
  for (let i = 0; i < samples; i++) {
    const before = nodes.get().r
    t0 = performance.now()
    writeFileSync(join(upDir, `latency-up-${i}.txt`), `sample ${i}`)
    await until(() => nodes.get().r > before, 1)
    upLatency.push(performance.now() - t0)
    const name = `latency-down-${i}.txt`
    await benchFolder.upload({name, size: 8}, Buffer.from(`sample ${i}`.padEnd(8).slice(0, 8))).complete
    t0 = performance.now()
    await until(() => existsSync(join(upDir, name)), 1)
    downLatency.push(performance.now() - t0)
  }
  storage.api.close()
  console.log(`  local change visible remotely: median ${median(upLatency).toFixed(0)} ms (min ${Math.min(...upLatency).toFixed(0)}, max ${Math.max(...upLatency).toFixed(0)}); target ≤ 2000 ms`)
  console.log(`  remote change visible locally: median ${median(downLatency).toFixed(0)} ms (min ${Math.min(...downLatency).toFixed(0)}, max ${Math.max(...downLatency).toFixed(0)}), after the third client's upload completed; target ≤ 2000 ms`)

  // 3. Idle: B's server with three syncs of `files` files each.
  for (const n of [2, 3]) {
    mega(['mkdir', `/idle${n}`], b)
    const dir = join(work, `idle${n}`)
    fillFolder(dir, files)
    mega(['sync', dir, `/idle${n}`], b)
  }
  await synced(b, 600_000)
  const pid = JSON.parse(readFileSync(join(b.home, 'server.json'), 'utf8')).pid
  const idleS = Number(values['idle-s'])
  const cpu0 = cpuTicks(pid)
  await new Promise((resolve) => setTimeout(resolve, idleS * 1000))
  console.log(`  idle, three syncs of ${files} files: server CPU ${cpuTicks(pid) - cpu0} ticks (10 ms) in ${idleS} s; RSS ${rssMiB(pid).toFixed(0)} MiB`)
}

/** Part 4: the RSS of a server with one sync of `rssFiles` empty files, once they are in sync. */
async function rss(rssFiles) {
  const c = machine('c')
  mega(['login', EMAIL, PASSWORD], c)
  const dir = join(work, 'rss')
  fillFolder(dir, rssFiles, 0)
  mega(['mkdir', '/rss'], c)
  // The first call to the sync service starts the server: its RSS before any sync.
  mega(['sync', '--json'], c)
  const pid = JSON.parse(readFileSync(join(c.home, 'server.json'), 'utf8')).pid
  const idle = rssMiB(pid)
  const t0 = performance.now()
  mega(['sync', dir, '/rss'], c)
  await synced(c, 3_600_000)
  console.log(`  one sync of ${rssFiles} empty files: in sync after ${((performance.now() - t0) / 1000).toFixed(0)} s; server RSS ${rssMiB(pid).toFixed(0)} MiB (${idle.toFixed(0)} MiB before the sync was added; peak ${peakMiB(pid).toFixed(0)} MiB); target ≤ 200 MiB`)
  mega(['quit'], c)
}

function mega(args, {env}) {
  const result = spawnSync(process.execPath, [MEGA_BIN, ...args], {env, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`mega ${args.join(' ')} failed (${result.status}): ${result.stderr}`)
  return result.stdout
}

/** `files` files of `size` bytes, 100 per folder (a tree as a photo folder or a source tree is). */
function fillFolder(dir, count, size = 1024) {
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${Math.floor(i / 100)}`)
    if (i % 100 === 0) mkdirSync(sub, {recursive: true})
    writeFileSync(join(sub, `f${i}.bin`), Buffer.alloc(size, i % 251))
  }
}

function folderCount(count) {
  return Math.ceil(count / 100)
}

function countFiles(dir) {
  let n = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.name === '.debris') continue
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name))
    else if (!entry.name.startsWith('.')) n++
  }
  return n
}

/** Waits until every sync of the machine says Synced. */
async function synced(m, timeoutMs = 300_000) {
  await until(() => {
    const {syncs} = JSON.parse(mega(['sync', '--json'], m))
    return syncs.every((s) => s.status === 'Synced')
  }, 200, timeoutMs)
}

async function until(probe, everyMs = 20, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

function report(what, count, seconds) {
  console.log(`  ${what}: ${count} files in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(0)} files/s (target ≥ 500 files/s: ${(count / seconds / 500).toFixed(2)}×)`)
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)]
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return Number(fields[11]) + Number(fields[12])
}

function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
}

function peakMiB(pid) {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
}
