#!/usr/bin/env node
// `npm run bench`: upload and download of one large file through the local MEGA-compatible server on
// loopback (a separate process, as a real server would be), with mega-shell's engine and with megajs in the
// same run. Prints MB/s (10^6 bytes/s, wall clock, including MAC verification) and the ratios.
//
//   npm run bench [-- --size-mib 256 --runs 2 --skip-megajs]
import {createHash, randomBytes} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {pipeline} from 'node:stream/promises'
import {closeTransferEngine, downloadFile, loginWithPassword, MegaContext, uploadFile} from '@mega-shell/core'
import {createAccount} from '@mega-shell/plugin-local-server'
import {Storage} from 'megajs'
import {startServer} from './local-server.js'

const {values} = parseArgs({options: {
  'size-mib': {type: 'string', default: '256'},
  runs: {type: 'string', default: '2'},
  'skip-megajs': {type: 'boolean', default: false},
}})
const size = Number(values['size-mib']) * 1048576
const runs = Number(values.runs)
const EMAIL = 'bench@example.com'
const PASSWORD = 'bench password'

const work = await mkdtemp(join(tmpdir(), 'mega-bench-'))
const server = await startServer(join(work, 'server'))
try {
  await createAccount(join(work, 'server'), {email: EMAIL, password: PASSWORD})
  const source = join(work, 'source.bin')
  await writeFile(source, randomBytes(size))
  const sourceHash = await sha256(source)
  console.log(`file: ${(size / 1048576).toFixed(0)} MiB, server: ${server.url} (separate process), ${runs} run(s) each, best shown`)

  // mega-shell: the same engine `mega put` / `mega get` use, in-process.
  const ctx = new MegaContext({home: join(work, 'home')})
  process.env.MEGA_API_URL = server.url
  await ctx.startSession(await loginWithPassword(ctx.api, EMAIL, PASSWORD))
  const root = ctx.root()
  let oursUp = 0
  let oursDown = 0
  for (let run = 0; run < runs; run++) {
    const name = `ours-${run}.bin`
    const t0 = performance.now()
    const node = await uploadFile(ctx, source, root, name)
    oursUp = Math.max(oursUp, mbps(size, performance.now() - t0))
    const dest = join(work, `down-${name}`)
    const t1 = performance.now()
    await downloadFile(ctx, node, dest)
    oursDown = Math.max(oursDown, mbps(size, performance.now() - t1))
    if ((await sha256(dest)) !== sourceHash) throw new Error('mega-shell download differs from the source')
    await rm(dest)
  }
  await closeTransferEngine()
  ctx.close()
  console.log(`mega-shell  upload ${oursUp.toFixed(0).padStart(6)} MB/s   download+verify ${oursDown.toFixed(0).padStart(6)} MB/s`)

  if (!values['skip-megajs']) {
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server.url, keepalive: false}).ready
    let theirsUp = 0
    let theirsDown = 0
    for (let run = 0; run < runs; run++) {
      const name = `megajs-${run}.bin`
      const t0 = performance.now()
      const file = await storage.upload({name, size}, createReadStream(source)).complete
      theirsUp = Math.max(theirsUp, mbps(size, performance.now() - t0))
      const dest = join(work, `down-${name}`)
      const t1 = performance.now()
      // A full download: megajs verifies the MAC at the end of the stream.
      await pipeline(file.download({}), createWriteStream(dest))
      theirsDown = Math.max(theirsDown, mbps(size, performance.now() - t1))
      if ((await sha256(dest)) !== sourceHash) throw new Error('megajs download differs from the source')
      await rm(dest)
    }
    storage.api.close()
    console.log(`megajs      upload ${theirsUp.toFixed(0).padStart(6)} MB/s   download+verify ${theirsDown.toFixed(0).padStart(6)} MB/s`)
    console.log(`ratio       upload ${(oursUp / theirsUp).toFixed(1).padStart(6)} x      download+verify ${(oursDown / theirsDown).toFixed(1).padStart(6)} x`)
  }
  console.log('targets     upload ≥ 400 MB/s, download+verify ≥ 600 MB/s, ≥ 15x megajs')
} finally {
  server.process.kill('SIGTERM')
  await rm(work, {recursive: true, force: true})
}

function mbps(bytes, ms) {
  return bytes / 1e6 / (ms / 1000)
}

async function sha256(path) {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}
