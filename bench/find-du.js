#!/usr/bin/env node
// `npm run bench` (second part; `npm run bench:1m` at a million nodes): `mega ls`, `mega du` and `mega find` over a
// subtree of `--nodes` nodes against the same commands over a subtree of ~1k nodes, through the built binary (a new
// process each time, as a user runs it) against the local server in its own process. The account is real encrypted
// nodes made through the API, kept between runs (large-account.js); the binary logs in to it first (a full `f`).
// Prints the best of `--runs` wall-clock times and the large/1k ratios; the target is ≤ 1.2× (ls reads one folder,
// du and find answer from SQLite index range scans, src/store/subtree-queries.ts). `mega pwd` is timed too: the
// process start and session load every command pays.
//
//   npm run bench [-- …] ; node bench/find-du.js [--nodes 100000] [--runs 5] [--rebuild]
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {describeAccount, largeAccount, RARE_NAME, SMALL_NODES} from './large-account.js'
import {startServer, stopServer} from './local-server.js'
import {timedMega} from './timed-mega.js'

const {values} = parseArgs({options: {nodes: {type: 'string', default: '100000'}, runs: {type: 'string', default: '5'}, rebuild: {type: 'boolean', default: false}}})
const runs = Number(values.runs)

const work = await mkdtemp(join(tmpdir(), 'mega-bench-tree-'))
try {
  const account = await largeAccount(work, {nodes: Number(values.nodes), rebuild: values.rebuild})
  describeAccount(account)
  const server = await startServer(account.dataDir)
  try {
    const home = join(work, 'home')
    const env = {...process.env, MEGA_SHELL_HOME: home, HOME: home, MEGA_API_URL: server.url}
    const login = await timedMega(['login', account.email, account.password], env)
    console.log(`first login: ${(login.ms / 1000).toFixed(1)} s; best of ${runs} runs (wall clock; CPU: the least of the runs)`)
    const start = await best(['pwd'], env)
    console.log(`${'mega pwd (process start, session)'.padEnd(36)} ${ms(start.ms)} (CPU ${ms(start.cpuMs)})`)
    const size = account.largeNodes >= 1e6 ? `${Math.round(account.largeNodes / 1e5) / 10}M` : `${Math.round(account.largeNodes / 1000)}k`
    const middle = `d${Math.floor((account.largeNodes - 1) / 100 / 2)}`
    for (const [label, args, small, large] of [
      ['ls (one folder of 99 files)', ['ls'], '/small/d5', `/large/${middle}`],
      ['ls -l (one folder of 99 files)', ['ls', '-l'], '/small/d5', `/large/${middle}`],
      ['du', ['du'], '/small', '/large'],
      [`find --pattern=${RARE_NAME}`, ['find', `--pattern=${RARE_NAME}`], '/small', '/large'],
      ['find (prints every node)', ['find'], '/small', '/large'],
    ]) {
      const a = await best([...args, small], env)
      const b = await best([...args, large], env)
      console.log(`${`mega ${label}`.padEnd(36)} 1k: ${ms(a.ms)} (CPU ${ms(a.cpuMs)}, ${a.lines} lines)   ${size}: ${ms(b.ms)} (CPU ${ms(b.cpuMs)}, ${b.lines} lines)   ratio ${(b.ms / a.ms).toFixed(2)}x (CPU ${(b.cpuMs / a.cpuMs).toFixed(2)}x)`)
    }
    console.log(`target: ${size}/1k ≤ 1.2x (account of ${SMALL_NODES} + ${account.largeNodes} nodes)`)
  } finally {
    await stopServer(server)
  }
} finally {
  await rm(work, {recursive: true, force: true})
}

/** The fastest of `runs` runs of `mega <args>` (wall clock), and the least CPU time of those runs. */
async function best(args, env) {
  let fastest
  let leastCpu = Infinity
  for (let run = 0; run < runs; run++) {
    const result = await timedMega(args, env)
    if (!fastest || result.ms < fastest.ms) fastest = result
    leastCpu = Math.min(leastCpu, result.cpuMs)
  }
  return {...fastest, cpuMs: leastCpu}
}

function ms(value) {
  return `${value.toFixed(0).padStart(5)} ms`
}
