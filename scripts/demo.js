#!/usr/bin/env node
// `npm run demo`: the main job end to end on the embedded local server, through the real `mega` binary:
// start a server, create an account, log in, upload a folder, list it, download it, verify, stop.
import {spawnSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const work = mkdtempSync(join(tmpdir(), 'mega-demo-'))
const data = join(work, 'server')
const env = {...process.env, MEGA_SHELL_HOME: join(work, 'home')}
delete env.MEGA_API_URL

function mega(...args) {
  const shown = args.map((a) => (a === 'demo-password' ? '********' : /\s/.test(a) ? `'${a}'` : a)).join(' ')
  console.log(`\n$ mega ${shown}`)
  const result = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  if (result.status !== 0) throw new Error(`mega ${args[0]} failed with exit code ${result.status}`)
  return result.stdout
}

const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex')
let started = false
try {
  const out = mega('local-server:start', '--port', '0', '--data', data)
  started = true
  env.MEGA_API_URL = out.match(/http:\/\/127\.0\.0\.1:\d+\//)[0]
  mega('local-server:useradd', 'demo@example.com', 'demo-password', '--name', 'Demo User', '--data', data)
  mega('login', 'demo@example.com', 'demo-password')
  mega('whoami')

  const photos = join(work, 'local', 'photos')
  mkdirSync(photos, {recursive: true})
  const files = {'beach.jpg': 3 * 1024 * 1024 + 7, 'notes.txt': 1000, 'empty.txt': 0}
  for (const [name, size] of Object.entries(files)) writeFileSync(join(photos, name), randomBytes(size))

  mega('mkdir', '-p', '/demo/2026')
  mega('put', photos, '/demo/2026')
  mega('ls', '-l', '/demo/2026/photos')
  const restore = join(work, 'restore')
  mkdirSync(restore)
  mega('get', '/demo/2026/photos', restore)

  for (const name of Object.keys(files)) {
    const same = sha(join(photos, name)) === sha(join(restore, 'photos', name))
    console.log(`${same ? 'verified' : 'MISMATCH'}: ${name}`)
    if (!same) throw new Error(`${name} differs after the round trip`)
  }
  mega('logout')
  console.log('\nDemo finished: every file came back identical.')
} catch (error) {
  console.error(`\nDemo failed: ${error.message}`)
  process.exitCode = 1
} finally {
  if (started) mega('local-server:stop', '--data', data)
  rmSync(work, {recursive: true, force: true})
}
