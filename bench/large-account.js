// A local-server account of any size (a million nodes for issue 10's targets), built once through the real API and
// kept: building a million real encrypted nodes takes minutes, and every benchmark that needs the account only reads
// it. The kept copy is the server's data folder (server.db + blobs/) as the server left it after a clean stop, under
// ~/.cache/mega-shell-bench/ (MEGA_BENCH_CACHE overrides); each run gets its own copy of it, so no run sees another's
// changes. `rebuild` (or a missing or unfinished copy) builds it again. The build is the same whether kept or not:
// keeping it only skips repeating it, and the benchmarks print whether they built it and how long that took.
//
// The account: /seed.txt (the one uploaded file every other file copies), /small (10 folders × 99 files: 1,001
// nodes) and /large (`nodes` nodes: nodes/100 folders of 99 files), each with one file named RARE_NAME.
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {closeTransferEngine, loginWithPassword, MegaContext, uploadFile} from '@mega-shell/core'
import {createAccount} from '@mega-shell/plugin-local-server'
import {startServer, stopServer} from './local-server.js'
import {buildNodeTree} from './node-fixture.js'

export const EMAIL = 'bench@example.com'
export const PASSWORD = 'bench password'
export const RARE_NAME = 'needle-7f3a.txt'
export const FILES_PER_FOLDER = 99
export const SMALL_NODES = 1 + 10 * (1 + FILES_PER_FOLDER)
// Bump when what the account holds changes, so an old kept copy is not taken for the new one.
const FIXTURE_VERSION = 1

/**
 * A copy of the account's server data folder in `workDir`/server, built first when no kept copy exists.
 * Returns its folder, the credentials, and the build time in seconds (null: the kept copy was used).
 */
export async function largeAccount(workDir, {nodes = 1_000_000, rebuild = false} = {}) {
  const folders = Math.round((nodes - 1) / (1 + FILES_PER_FOLDER))
  const kept = join(process.env.MEGA_BENCH_CACHE ?? join(homedir(), '.cache', 'mega-shell-bench'), `account-${folders}x${FILES_PER_FOLDER}-v${FIXTURE_VERSION}`)
  const marker = join(kept, 'complete.json')
  let builtSeconds = null
  const complete = await readFile(marker, 'utf8').then(JSON.parse, () => undefined)
  if (rebuild || !complete) {
    await rm(kept, {recursive: true, force: true})
    await mkdir(kept, {recursive: true})
    builtSeconds = await build(join(kept, 'server'), folders)
    await writeFile(marker, JSON.stringify({folders, filesPerFolder: FILES_PER_FOLDER, builtSeconds, at: new Date().toISOString()}))
  }
  const dataDir = join(workDir, 'server')
  await cp(join(kept, 'server'), dataDir, {recursive: true})
  return {dataDir, email: EMAIL, password: PASSWORD, largeNodes: 1 + folders * (1 + FILES_PER_FOLDER), builtSeconds, keptBuildSeconds: complete?.builtSeconds}
}

/** Makes the account through the API of a server on `dataDir`; returns the seconds the nodes took. */
async function build(dataDir, folders) {
  const server = await startServer(dataDir)
  const home = await mkdtemp(join(tmpdir(), 'mega-bench-build-'))
  try {
    await createAccount(dataDir, {email: EMAIL, password: PASSWORD})
    process.env.MEGA_API_URL = server.url
    const ctx = new MegaContext({home})
    await ctx.startSession(await loginWithPassword(ctx.api, EMAIL, PASSWORD))
    const seedPath = join(home, 'seed.txt')
    await writeFile(seedPath, 'the same 1 kB in every file\n'.repeat(37))
    const seed = await uploadFile(ctx, seedPath, ctx.root(), 'seed.txt')
    await closeTransferEngine()
    const t0 = performance.now()
    await buildNodeTree(ctx, ctx.root(), {name: 'small', seed, folders: 10, filesPerFolder: FILES_PER_FOLDER, rareName: RARE_NAME})
    await buildNodeTree(ctx, ctx.root(), {name: 'large', seed, folders, filesPerFolder: FILES_PER_FOLDER, rareName: RARE_NAME})
    const seconds = (performance.now() - t0) / 1000
    ctx.close()
    return seconds
  } finally {
    await stopServer(server)
    await rm(home, {recursive: true, force: true})
  }
}

/** One line on the account for a benchmark's report: its size, and whether it was built now or kept. */
export function describeAccount(account) {
  const built = account.builtSeconds === null
    ? `kept copy (built earlier in ${account.keptBuildSeconds?.toFixed(0)} s)`
    : `built now through the API in ${account.builtSeconds.toFixed(0)} s`
  console.log(`account: /large ${account.largeNodes} nodes + /small 1,001 nodes; ${built}`)
}
