#!/usr/bin/env node
// `npm run bench` (second part): the cost of a scripted command through the thin clients (`mega-ls`, bin/mega-shim:
// the native one, and the Node one it hands server start-ups to) with the background server running, against `mega ls` run in-process (bin/run.js); the first command with no
// server (its start included); the server's CPU while idle; and the floor of any Node client on this machine.
// Wall clock per whole process (median of --runs), its CPU time (user + system) and peak RSS (GNU time's %U %S %M):
// on a loaded machine the CPU time says more than the wall clock.
//
//   node bench/daemon.js [--runs 20 --idle-s 10]
import {spawn, spawnSync} from 'node:child_process'
import {mkdtemp, rm, symlink} from 'node:fs/promises'
import {readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer} from './local-server.js'

const {values} = parseArgs({options: {runs: {type: 'string', default: '20'}, 'idle-s': {type: 'string', default: '10'}}})
const runs = Number(values.runs)
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const EMAIL = 'bench@example.com'
const PASSWORD = 'bench password'
const TIME = '/usr/bin/time'

const work = await mkdtemp(join(tmpdir(), 'mega-bench-daemon-'))
const server = await startServer(join(work, 'server'))
const home = join(work, 'home')
const env = {...process.env, MEGA_SHELL_HOME: home, MEGA_API_URL: server.url}
const bin = join(work, 'bin')
try {
  await createAccount(join(work, 'server'), {email: EMAIL, password: PASSWORD})
  spawnSync('mkdir', ['-p', bin])
  for (const name of ['ls', 'login', 'mkdir']) await symlink(join(ROOT, 'bin', 'mega-shim'), join(bin, `mega-${name}`))
  check(run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'login', EMAIL, PASSWORD]), 'login')
  check(run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'mkdir', '/a', '/b', '/c']), 'mkdir')
  console.log(`server: ${server.url}; ${runs} runs each, median (min–max); machine load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)

  const first = run(join(bin, 'mega-ls'), ['/'])
  check(first, 'first mega-ls')
  console.log(`first mega-ls, no server running (its start included): ${first.ms.toFixed(0)} ms`)

  report('mega-ls / (native client, server running)', series(() => run(join(bin, 'mega-ls'), ['/'])))
  report('mega-ls / (Node thin client, server running)', series(() => run(join(bin, 'mega-ls'), ['/'], {MEGA_SHELL_NODE_CLIENT: '1'})))
  report('mega ls / (in-process, bin/run.js)', series(() => run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'ls', '/'])))
  report('node -e "" (with NODE_EXTRA_CA_CERTS as set here)', series(() => run(process.execPath, ['-e', ''])))
  report('node -e "" (without NODE_EXTRA_CA_CERTS)', series(() => run(process.execPath, ['-e', ''], {NODE_EXTRA_CA_CERTS: undefined})))

  const info = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8'))
  const before = cpuTicks(info.pid)
  const idleMs = Number(values['idle-s']) * 1000
  await new Promise((resolve) => setTimeout(resolve, idleMs))
  console.log(`idle server: ${cpuTicks(info.pid) - before} clock ticks (10 ms) of CPU in ${idleMs / 1000} s`)
  check(run(process.execPath, [join(ROOT, 'bin', 'run.js'), 'server:stop']), 'server:stop')
} finally {
  server.process.kill()
  await rm(work, {recursive: true, force: true})
}

/** One process, timed; its peak RSS from GNU time when available. */
function run(command, args, extraEnv = {}) {
  const childEnv = {...env, ...extraEnv}
  for (const [name, value] of Object.entries(extraEnv)) if (value === undefined) delete childEnv[name]
  const timed = [TIME, ['-f', '%M %U %S', command, ...args]]
  const started = process.hrtime.bigint()
  const result = spawnSync(...timed, {env: childEnv, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const lines = result.stderr.trimEnd().split('\n')
  const [rssKiB, user, system] = lines.at(-1).split(' ').map(Number)
  return {ms, rssKiB, cpuMs: (user + system) * 1000, code: result.status, stdout: result.stdout, stderr: lines.slice(0, -1).join('\n')}
}

function check(result, what) {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}): ${result.stderr}`)
}

function series(once) {
  const results = []
  for (let i = 0; i < runs; i++) results.push(once())
  for (const result of results) check(result, 'a run')
  return results
}

function report(what, results) {
  const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]
  const ms = results.map((r) => r.ms)
  const rss = results.map((r) => r.rssKiB / 1024)
  const cpu = results.map((r) => r.cpuMs)
  console.log(`${what}: ${median(ms).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}), CPU ${median(cpu).toFixed(0)} ms, peak RSS ${median(rss).toFixed(1)} MiB`)
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return Number(fields[11]) + Number(fields[12])
}
