#!/usr/bin/env node
// `npm run bench:1m` (first part): the first login of a large account (issue 10 target at a million nodes: ≤ 30 s and
// ≤ 512 MiB peak RSS): `mega login` through the built binary in a fresh profile, which fetches the whole tree (`f`),
// decrypts every node and fills the SQLite cache. Wall clock and the process's peak RSS (GNU time's %M), against
// the local server in its own process on a copy of the kept account (large-account.js; built first if missing).
//
//   node bench/login.js [--nodes 1000000] [--rebuild]
import {spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {describeAccount, largeAccount} from './large-account.js'
import {startServer, stopServer} from './local-server.js'

const {values} = parseArgs({options: {nodes: {type: 'string', default: '1000000'}, rebuild: {type: 'boolean', default: false}}})
const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

const work = await mkdtemp(join(tmpdir(), 'mega-bench-login-'))
try {
  const account = await largeAccount(work, {nodes: Number(values.nodes), rebuild: values.rebuild})
  describeAccount(account)
  const server = await startServer(account.dataDir)
  try {
    const env = {...process.env, MEGA_SHELL_HOME: join(work, 'home'), MEGA_API_URL: server.url}
    const login = await timedWithRss([MEGA_BIN, 'login', account.email, account.password], env)
    console.log(`first login: ${login.seconds.toFixed(1)} s (CPU ${login.cpuSeconds.toFixed(1)} s), peak RSS ${login.maxRssMiB.toFixed(0)} MiB (target ≤ 30 s, ≤ 512 MiB)`)
    const ls = await timedWithRss([MEGA_BIN, 'ls', '/small/d5'], env)
    console.log(`then mega ls /small/d5: ${(ls.seconds * 1000).toFixed(0)} ms, peak RSS ${ls.maxRssMiB.toFixed(0)} MiB`)
  } finally {
    await stopServer(server)
  }
} finally {
  await rm(work, {recursive: true, force: true})
}

/**
 * Runs node with `args` under GNU time: wall seconds, CPU seconds (user + system: on a busy machine they say more than
 * the wall clock) and peak RSS in MiB (%M is in KiB).
 */
function timedWithRss(args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000
      if (code !== 0) return reject(new Error(`${args.slice(1).join(' ')} exited ${code}: ${stderr}`))
      const [user, system, rss] = stderr.trim().split('\n').pop().split(' ').map(Number)
      resolve({seconds, cpuSeconds: user + system, maxRssMiB: rss / 1024})
    })
  })
}
