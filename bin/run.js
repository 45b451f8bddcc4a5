#!/usr/bin/env node
// The `mega` host: oclif finds the command in the plugins' manifests and loads only that plugin.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
