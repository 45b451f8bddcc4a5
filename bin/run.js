#!/usr/bin/env node
// The `mega` host: oclif finds the command in the plugins' manifests and loads only that plugin.
// Ctrl-C is handled from the first instant (exit 130), before oclif's ~150 ms of loading.
import {installInterruptHandler} from '@mega-shell/core/interrupt'
import {exitWhenWritten} from '@mega-shell/core/command-exit'
import {colourOnlyOnTerminal} from '@mega-shell/core/output-colour'
installInterruptHandler()
colourOnlyOnTerminal(process.stdout.isTTY === true)
const {execute, settings} = await import('@oclif/core')
// Linked plugins (`mega plugins link`) run from their compiled JavaScript: oclif would otherwise warn on every command
// that a linked ESM plugin cannot be transpiled (@oclif/core lib/config/ts-path.js tsPath).
settings.enableAutoTranspile = false

// `mega` alone on a terminal opens the interactive shell (MEGAcmd's mega-cmd); without a terminal, the help as before.
const args = process.argv.slice(2)
const shell = args.length === 0 && process.stdin.isTTY && process.stdout.isTTY
await execute({dir: import.meta.url, ...(shell ? {args: ['shell']} : {})})
await exitWhenWritten()
