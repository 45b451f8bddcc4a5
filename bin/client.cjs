#!/usr/bin/env node
'use strict'
// The thin client behind the `mega-<cmd>` executables (bin/mega-shim): `client.cjs <invoked path> <args…>`.
// CommonJS, loading nothing but the client and its protocol (src/daemon/thin-client.cts): start-up is its whole cost.
const [invokedAs, ...args] = process.argv.slice(2)
require('@mega-shell/core/thin-client').runThinClient(require('node:path').dirname(__dirname), invokedAs, args)
