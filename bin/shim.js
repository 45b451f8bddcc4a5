#!/usr/bin/env node
// `mega-ls -l /` == `mega ls -l /`: MEGAcmd's scriptable per-command executables. npm links every
// `mega-<cmd>` name to this file; the command is the link's own name (stack.md "Shims and aliases").
import {basename} from 'node:path'
import {installInterruptHandler} from '@mega-shell/core/interrupt'
installInterruptHandler()
const {execute} = await import('@oclif/core')

const name = basename(process.argv[1]).replace(/\.js$/, '')
const command = name.startsWith('mega-') ? name.slice('mega-'.length) : name
await execute({args: [command, ...process.argv.slice(2)], dir: import.meta.url})
