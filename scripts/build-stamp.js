#!/usr/bin/env node
// Writes src/dist/daemon/build-stamp.json, the build's identity in the background server's HELLO
// (src/daemon/build-id.cts): a server started by an earlier build runs other code, and clients replace it.
// Run by `npm run build` after tsc.
import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const build = `${version}+${new Date().toISOString().replace(/[-:.]/g, '')}`
writeFileSync(join(root, 'src', 'dist', 'daemon', 'build-stamp.json'), JSON.stringify({build}) + '\n')
console.log(`build: ${build}`)
