#!/usr/bin/env node
// `npm run bench` (last part): issue 10's latency targets with the background server running.
// - A command typed in the interactive shell (`mega shell` in a pseudo-terminal, util-linux `script`): from the line
//   sent to the shell to its output and the next prompt; median and p90 over --runs, target ≤ 5 ms.
// - The native thin client (`mega-ls /`, src/native/mega-exec.c) as a whole process: median, stretch target < 10 ms.
// CPU time per command beside the wall clock (the machine may be shared): for the shell, that of the shell, the
// server and its command hosts together (/proc ticks over the series); for mega-ls, its own (GNU time) and the
// server side's.
//
//   node bench/shell.js [--runs 200]
import {spawn, spawnSync} from 'node:child_process'
import {mkdtemp, rm, symlink} from 'node:fs/promises'
import {readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer} from './local-server.js'

const {values} = parseArgs({options: {runs: {type: 'string', default: '200'}}})
const runs = Number(values.runs)
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const EMAIL = 'bench@example.com'
const PASSWORD = 'bench password'
const PROMPT = `${EMAIL}:/$ `
const SHELL_TARGET_MS = 5
const SCRIPTED_TARGET_MS = 10
/** Untimed commands first, so that every timed one finds a warm host. */
const WARM_UP = 20

const work = await mkdtemp(join(tmpdir(), 'mega-bench-shell-'))
const server = await startServer(join(work, 'server'))
const home = join(work, 'home')
const env = {...process.env, MEGA_SHELL_HOME: home, MEGA_API_URL: server.url}
const mega = (...args) => {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {env, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`mega ${args.join(' ')} failed (${result.status}): ${result.stderr}`)
  return result.stdout
}
let shell
try {
  await createAccount(join(work, 'server'), {email: EMAIL, password: PASSWORD})
  mega('login', EMAIL, PASSWORD)
  mega('mkdir', '-p', ...Array.from({length: 20}, (_, i) => `/some/folder/sub${i}`))
  mega('server:start')
  console.log(`${runs} runs each after ${WARM_UP} untimed; machine load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)

  shell = new Shell(env)
  await shell.next()
  const serverPid = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')).pid
  for (const line of ['pwd', 'ls /', 'ls -l /some/folder']) {
    for (let i = 0; i < WARM_UP; i++) await shell.run(line)
    await quiet(serverPid)
    const before = [cpuTicks([shell.pid]), cpuTicks([serverPid]), hostTicks(serverPid)]
    const ms = []
    for (let i = 0; i < runs; i++) ms.push(await shell.run(line))
    const [shellMs, serverMs, hostsMs] = [cpuTicks([shell.pid]), cpuTicks([serverPid]), hostTicks(serverPid)].map((ticks, i) => (ticks - before[i]) * 10 / runs)
    const cpu = `CPU per command ${(shellMs + serverMs + hostsMs).toFixed(2)} ms: shell ${shellMs.toFixed(2)}, server ${serverMs.toFixed(2)}, hosts ${hostsMs.toFixed(2)}`
    console.log(`shell: ${line.padEnd(20)} median ${quantile(ms, 0.5).toFixed(2)} ms, p90 ${quantile(ms, 0.9).toFixed(2)} ms (target ≤ ${SHELL_TARGET_MS} ms); ${cpu}`)
  }
  shell.close()

  const bin = join(work, 'bin')
  spawnSync('mkdir', ['-p', bin])
  await symlink(join(ROOT, 'bin', 'mega-shim'), join(bin, 'mega-ls'))
  const native = join(ROOT, 'src', 'dist', 'native', 'mega-exec')
  for (let i = 0; i < WARM_UP; i++) timed(join(bin, 'mega-ls'), ['/'])
  await quiet(serverPid)
  const before = cpuTicks([serverPid]) + hostTicks(serverPid)
  const results = Array.from({length: runs}, () => timed(join(bin, 'mega-ls'), ['/']))
  const serverCpuMs = (cpuTicks([serverPid]) + hostTicks(serverPid) - before) * 10 / runs
  const what = spawnSync('test', ['-x', native]).status === 0 ? 'native client' : 'Node client: the native one is not built'
  console.log(`mega-ls / (${what}), whole process: median ${quantile(results.map((r) => r.ms), 0.5).toFixed(2)} ms, p90 ${quantile(results.map((r) => r.ms), 0.9).toFixed(2)} ms (stretch target < ${SCRIPTED_TARGET_MS} ms); CPU ${quantile(results.map((r) => r.cpuMs), 0.5).toFixed(0)} ms client + ${serverCpuMs.toFixed(2)} ms server and hosts`)
  mega('server:stop')
} finally {
  shell?.close()
  server.process.kill()
  await rm(work, {recursive: true, force: true})
}

/** The shell in a pseudo-terminal; run() types a line and resolves with the milliseconds until the next prompt. */
function Shell(shellEnv) {
  const child = spawn('script', ['-qfec', `stty cols 200 rows 50; exec '${process.execPath}' '${join(ROOT, 'bin', 'run.js')}' shell`, '/dev/null'], {env: {...shellEnv, TERM: 'xterm'}, stdio: ['pipe', 'pipe', 'inherit']})
  let output = ''
  let wake = () => undefined
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk
    wake()
  })
  child.on('exit', () => wake())
  /** Resolves once the terminal shows the prompt at its end, output before it included. */
  this.next = () => new Promise((resolve, reject) => {
    wake = () => {
      if (plain(output).endsWith(`\n${PROMPT}`) || plain(output) === PROMPT) resolve()
      else if (child.exitCode !== null) reject(new Error(`the shell ended: ${plain(output)}`))
    }
    wake()
  })
  this.run = async (line) => {
    output = ''
    const started = process.hrtime.bigint()
    child.stdin.write(`${line}\r`)
    await this.next()
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    if (/\b(error|failed|not found)\b/i.test(output)) throw new Error(`${line}: ${plain(output)}`)
    return ms
  }
  this.close = () => child.exitCode === null && child.kill('SIGKILL')
  Object.defineProperty(this, 'pid', {get: () => shellPid(child.pid)})
}

/** The shell's process: the child of `script`. */
function shellPid(scriptPid) {
  return processTree(scriptPid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('run.js'))
}

/** A process and its descendants (the server's command hosts). */
function processTree(pid) {
  const pids = [pid]
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) pids.push(...processTree(Number(child)))
  }
  return pids
}

/** User + system clock ticks (10 ms) of processes. */
function cpuTicks(pids) {
  return pids.reduce((sum, pid) => sum + statTicks(pid, 11), 0)
}

/**
 * The CPU of the server's command hosts: those running, and those that ended (a retired host's time is added to
 * the server's children's time once it has been waited for).
 */
function hostTicks(serverPid) {
  return statTicks(serverPid, 13) + cpuTicks(processTree(serverPid).slice(1))
}

/** Two consecutive counters of /proc/<pid>/stat from `field` (11: utime, stime; 13: cutime, cstime); 0 once gone. */
function statTicks(pid, field) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
    return Number(fields[field]) + Number(fields[field + 1])
  } catch {
    return 0
  }
}

/** Waits until the server and its hosts have used no CPU for a second: spare hosts started and done loading commands. */
async function quiet(pid) {
  const deadline = Date.now() + 60_000
  for (let last = -1; Date.now() < deadline;) {
    const ticks = cpuTicks(processTree(pid))
    if (ticks === last) return
    last = ticks
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** One whole process, timed, with its CPU time from GNU time. */
function timed(command, args) {
  const started = process.hrtime.bigint()
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], {env, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}`)
  const [user, system] = result.stderr.trimEnd().split('\n').at(-1).split(' ').map(Number)
  return {ms, cpuMs: (user + system) * 1000}
}

function quantile(numbers, q) {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
}

/** Terminal output as text: colours, cursor moves and carriage returns removed. */
function plain(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g, '')
}
