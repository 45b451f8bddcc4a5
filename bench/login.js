#!/usr/bin/env node
// `npm run bench:1m` (first part): the first login of a large account (issue 10 target at a million nodes: ≤ 30 s and
// ≤ 512 MiB peak RSS): `mega login` through the built binary in a fresh profile, which fetches the whole tree (`f`),
// decrypts every node and fills the SQLite cache. Wall clock, CPU time and peak RSS (timed-mega.js), against
// the local server in its own process on a copy of the kept account (large-account.js; built first if missing).
//
//   node bench/login.js [--nodes 1000000] [--rebuild]
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {describeAccount, largeAccount} from './large-account.js'
import {startServer, stopServer} from './local-server.js'
import {timedMega} from './timed-mega.js'

const {values} = parseArgs({options: {nodes: {type: 'string', default: '1000000'}, rebuild: {type: 'boolean', default: false}}})

const work = await mkdtemp(join(tmpdir(), 'mega-bench-login-'))
try {
  const account = await largeAccount(work, {nodes: Number(values.nodes), rebuild: values.rebuild})
  describeAccount(account)
  const server = await startServer(account.dataDir)
  try {
    const env = {...process.env, MEGA_SHELL_HOME: join(work, 'home'), MEGA_API_URL: server.url}
    const login = await timedMega(['login', account.email, account.password], env)
    console.log(`first login: ${(login.ms / 1000).toFixed(1)} s (CPU ${(login.cpuMs / 1000).toFixed(1)} s), peak RSS ${login.maxRssMiB.toFixed(0)} MiB (target ≤ 30 s, ≤ 512 MiB)`)
    const ls = await timedMega(['ls', '/small/d5'], env)
    console.log(`then mega ls /small/d5: ${ls.ms.toFixed(0)} ms, peak RSS ${ls.maxRssMiB.toFixed(0)} MiB`)
  } finally {
    await stopServer(server)
  }
} finally {
  await rm(work, {recursive: true, force: true})
}
