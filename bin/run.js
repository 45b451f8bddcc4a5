#!/usr/bin/env node
// The `mega` host: oclif finds the command in the plugins' manifests and loads only that plugin.
// Ctrl-C is handled from the first instant (exit 130), before oclif's ~150 ms of loading.
import {installInterruptHandler} from '@mega-shell/core/interrupt'
installInterruptHandler()
const {execute} = await import('@oclif/core')

await execute({dir: import.meta.url})
