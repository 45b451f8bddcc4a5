#!/usr/bin/env node
// `npm run bench` (second part): `mega du` and `mega find` over a subtree of ~100k nodes against the same
// commands over a subtree of ~1k nodes, through the built binary (a new process each time, as a user runs it)
// against the local server in its own process. Both trees are real encrypted nodes made through the API
// (node-fixture.js). Prints the best of `--runs` wall-clock times and the 100k/1k ratios; the target is ≤ 1.2×
// (du and find answer from SQLite index range scans, src/store/subtree-queries.ts). `mega pwd` is timed too: the
// process start and session load every command pays.
//
//   npm run bench [-- …] ; node bench/find-du.js [--folders 1000] [--runs 5]
import {spawn} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {closeTransferEngine, loginWithPassword, MegaContext, uploadFile} from '@mega-shell/core'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer} from './local-server.js'
import {buildNodeTree} from './node-fixture.js'

const {values} = parseArgs({options: {folders: {type: 'string', default: '1000'}, runs: {type: 'string', default: '5'}}})
const FILES_PER_FOLDER = 99
const largeFolders = Number(values.folders)
const runs = Number(values.runs)
const EMAIL = 'bench@example.com'
const PASSWORD = 'bench password'
const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const RARE = 'needle-7f3a.txt'

const work = await mkdtemp(join(tmpdir(), 'mega-bench-tree-'))
const server = await startServer(join(work, 'server'))
try {
  await createAccount(join(work, 'server'), {email: EMAIL, password: PASSWORD})
  const home = join(work, 'home')
  process.env.MEGA_API_URL = server.url
  const ctx = new MegaContext({home})
  await ctx.startSession(await loginWithPassword(ctx.api, EMAIL, PASSWORD))
  const seedPath = join(work, 'seed.txt')
  await writeFile(seedPath, 'the same 1 kB in every file\n'.repeat(37))
  const seed = await uploadFile(ctx, seedPath, ctx.root(), 'seed.txt')
  await closeTransferEngine()
  const t0 = performance.now()
  await buildNodeTree(ctx, ctx.root(), {name: 'small', seed, folders: 10, filesPerFolder: FILES_PER_FOLDER, rareName: RARE})
  await buildNodeTree(ctx, ctx.root(), {name: 'large', seed, folders: largeFolders, filesPerFolder: FILES_PER_FOLDER, rareName: RARE})
  const built = performance.now() - t0
  ctx.close()
  const sizes = {small: 1 + 10 * (1 + FILES_PER_FOLDER), large: 1 + largeFolders * (1 + FILES_PER_FOLDER)}
  console.log(`trees: /small ${sizes.small} nodes, /large ${sizes.large} nodes, built through the API in ${(built / 1000).toFixed(1)} s; best of ${runs} runs`)

  const env = {...process.env, MEGA_SHELL_HOME: home, HOME: home, MEGA_API_URL: server.url}
  const start = await best(['pwd'], env)
  console.log(`${'mega pwd (process start, session)'.padEnd(40)} ${ms(start.ms)}`)
  for (const [label, args] of [['du', ['du']], [`find --pattern=${RARE}`, ['find', `--pattern=${RARE}`]], ['find (prints every node)', ['find']]]) {
    const small = await best([...args, '/small'], env)
    const large = await best([...args, '/large'], env)
    console.log(`${`mega ${label}`.padEnd(40)} 1k: ${ms(small.ms)} (${small.lines} lines)   100k: ${ms(large.ms)} (${large.lines} lines)   ratio ${(large.ms / small.ms).toFixed(2)}x`)
  }
  console.log('target: 100k/1k ≤ 1.2x')
} finally {
  server.process.kill('SIGTERM')
  await rm(work, {recursive: true, force: true})
}

/** The fastest of `runs` runs of `mega <args>`, with the number of lines it printed. */
async function best(args, env) {
  let fastest
  for (let run = 0; run < runs; run++) {
    const result = await timed(args, env)
    if (!fastest || result.ms < fastest.ms) fastest = result
  }
  return fastest
}

function timed(args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [MEGA_BIN, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let lines = 0
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines++
    })
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`mega ${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve({ms: performance.now() - t0, lines})
    })
  })
}

function ms(value) {
  return `${value.toFixed(0).padStart(5)} ms`
}
