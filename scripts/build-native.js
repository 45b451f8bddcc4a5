#!/usr/bin/env node
// Compiles the native parts, both optional: without a C compiler (or with MEGA_SHELL_NO_NATIVE=1) everything works
// without them, slower. Run by `npm run build` after build-stamp.js.
// - src/native/mega-exec.c → src/dist/native/mega-exec: the scripted fast path of the `mega-<cmd>` executables, with
//   this build's identity (src/dist/daemon/build-stamp.json) compiled in: a server of another build is never spoken
//   to. Without it bin/mega-shim runs the Node client for every call.
// - src/native/file-crypto.c → src/dist/native/file-crypto.node: the transfers' AES-NI crypto, a Node-API addon
//   compiled against the running Node's headers (x86-64 only). Without it transfers use node:crypto.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const output = join(root, 'src', 'dist', 'native', 'mega-exec')
const addon = join(root, 'src', 'dist', 'native', 'file-crypto.node')
// A binary of an earlier build would only hand every call to the Node client: remove it whatever happens next.
rmSync(output, {force: true})
rmSync(addon, {force: true})
if (process.env.MEGA_SHELL_NO_NATIVE === '1') {
  console.log('native parts: skipped (MEGA_SHELL_NO_NATIVE=1)')
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

// Node's headers: <prefix>/include/node next to <prefix>/bin/node (official builds and Debian's package alike).
const headers = join(dirname(dirname(process.execPath)), 'include', 'node')
if (process.arch !== 'x64') {
  console.log(`native file crypto: not built (AES-NI code, this is ${process.arch}); transfers use node:crypto`)
} else if (!existsSync(join(headers, 'node_api.h'))) {
  console.log(`native file crypto: not built (no Node headers in ${headers}); transfers use node:crypto`)
} else {
  const built = spawnSync(compiler, ['-O3', '-std=c11', '-Wall', '-Wextra', '-Werror', '-maes', '-shared', '-fPIC', `-I${headers}`, '-o', addon, join(root, 'src', 'native', 'file-crypto.c')], {stdio: ['ignore', 'inherit', 'inherit']})
  if (built.error || built.status !== 0) {
    rmSync(addon, {force: true})
    console.log(`native file crypto: not built (${built.error ? `${compiler}: ${built.error.code}` : `${compiler} exited ${built.status}`}); transfers use node:crypto`)
  } else {
    console.log('native file crypto: src/dist/native/file-crypto.node')
  }
}
