#!/usr/bin/env node
// Compiles the scripted fast path of the `mega-<cmd>` executables (src/native/mega-exec.c) into
// src/dist/native/mega-exec, with this build's identity (src/dist/daemon/build-stamp.json) compiled in: a server
// of another build is never spoken to. Optional: without a C compiler (or MEGA_SHELL_NO_NATIVE=1) there is no
// binary and bin/mega-shim runs the Node client for every call. Run by `npm run build` after build-stamp.js.
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const output = join(root, 'src', 'dist', 'native', 'mega-exec')
// A binary of an earlier build would only hand every call to the Node client: remove it whatever happens next.
rmSync(output, {force: true})
if (process.env.MEGA_SHELL_NO_NATIVE === '1') {
  console.log('native client: skipped (MEGA_SHELL_NO_NATIVE=1)')
  process.exit(0)
}
const {build} = JSON.parse(readFileSync(join(root, 'src', 'dist', 'daemon', 'build-stamp.json'), 'utf8'))
if (!/^[\w.+-]+$/.test(build)) throw new Error(`unexpected build stamp ${JSON.stringify(build)}`)
mkdirSync(dirname(output), {recursive: true})
const compiler = process.env.CC || 'cc'
const result = spawnSync(compiler, ['-O2', '-std=c11', '-Wall', '-Wextra', '-Werror', `-DMEGA_BUILD_ID="${build}"`, '-o', output, join(root, 'src', 'native', 'mega-exec.c')], {stdio: ['ignore', 'inherit', 'inherit']})
if (result.error || result.status !== 0) {
  rmSync(output, {force: true})
  console.log(`native client: not built (${result.error ? `${compiler}: ${result.error.code}` : `${compiler} exited ${result.status}`}); the mega-* commands use the Node client`)
} else {
  console.log('native client: src/dist/native/mega-exec')
}
