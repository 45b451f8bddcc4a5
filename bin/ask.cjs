#!/usr/bin/env node
'use strict'
// One question asked on this terminal for the native client (src/native/mega-exec.c), which has no prompt code
// of its own: `ask.cjs <text|secret|confirm> <message>`; the answer goes to fd 3 as JSON ({"value": …} or
// {"cancelled": true}), never to the terminal. The questions look exactly like the Node client's and in-process
// ones: one implementation, src/command/terminal-prompt.cts.
const {writeSync} = require('node:fs')
const [kind, message] = process.argv.slice(2)
require('@mega-shell/core/terminal-prompt')
  .askOnTerminal(kind, message)
  .then(
    (value) => ({value}),
    (error) => {
      // Ctrl-C or Ctrl-D in the prompt (@inquirer's ExitPromptError): the command reports the cancellation.
      if (error.name !== 'ExitPromptError') process.stderr.write(`${error.message}\n`)
      return {cancelled: true}
    },
  )
  .then((answer) => {
    writeSync(3, JSON.stringify(answer))
    process.exit(0)
  })
