#!/usr/bin/env node
// `mega-ls -l /` == `mega ls -l /`: MEGAcmd's scriptable per-command executables. npm links every
// `mega-<cmd>` name to this file; the command is the link's own name (stack.md "Shims and aliases").
import {basename} from 'node:path'
import {installInterruptHandler} from '@mega-shell/core/interrupt'
import {exitWhenWritten} from '@mega-shell/core/command-exit'
import {colourOnlyOnTerminal} from '@mega-shell/core/output-colour'
installInterruptHandler()
colourOnlyOnTerminal(process.stdout.isTTY === true)
const {execute, settings} = await import('@oclif/core')
// Linked plugins (`mega plugins link`) run from their compiled JavaScript: oclif would otherwise warn on every command
// that a linked ESM plugin cannot be transpiled (@oclif/core lib/config/ts-path.js tsPath).
settings.enableAutoTranspile = false

const name = basename(process.argv[1]).replace(/\.js$/, '')
const command = name.startsWith('mega-') ? name.slice('mega-'.length) : name
await execute({args: [command, ...process.argv.slice(2)], dir: import.meta.url})
await exitWhenWritten()
