import {expect} from 'chai'
import {printableLine} from '../../src/format/printable.js'
import type {CliResult, MegaUser} from './cli.js'
import type {MegaCmd} from './megacmd.js'

/** MEGAcmd's error messages: its stderr log lines `[<time> cmd ERR  <message>]`, without its usage lines. */
export function megacmdErrors(stderr: string): string[] {
  const messages: string[] = []
  for (const line of stderr.split('\n')) {
    const match = /^\[\S+ cmd (?:ERR|CRIT) {2}(.*)\]$/.exec(line)
    // The usage line MEGAcmd logs after some errors is indented (megacmdexecuter.cpp: `"      " << getUsageStr`).
    if (match && !match[1].startsWith('      ')) messages.push(match[1])
  }
  return messages
}

export function ourErrors(stderr: string): string[] {
  return stderr.split('\n').filter(Boolean)
}

/**
 * Runs `args` with MEGAcmd and with mega-shell and expects the same stdout (MEGAcmd's with control characters
 * escaped, as we print them, then passed through `known`, which puts back what a test documents as a deliberate
 * difference), exit code and error messages. Returns MEGAcmd's result.
 */
export async function expectSameOutput(megacmd: MegaCmd, user: MegaUser, args: string[], known = (stdout: string) => stdout): Promise<CliResult> {
  const [theirs, ours] = await Promise.all([megacmd.run(args), user.run(args)])
  const label = `"${args.join(' ')}"\nMEGAcmd:\n${theirs.stdout}${theirs.stderr}\nours:\n${ours.stdout}${ours.stderr}`
  expect(ours.stdout, `stdout of ${label}`).to.equal(known(printableLine(theirs.stdout)))
  expect(ours.code, `exit code of ${label}`).to.equal(theirs.code)
  expect(ourErrors(ours.stderr), `errors of ${label}`).to.deep.equal(megacmdErrors(theirs.stderr).map(printableLine))
  return theirs
}

/** MEGAcmd's `users` output without its "Contact [...] is not verified" boxes (printCenteredContents, then a blank line). */
export function withoutVerificationBoxes(stdout: string): string {
  const kept: string[] = []
  let inBox = false
  let afterBox = false
  for (const line of stdout.split('\n')) {
    if (/^ -+$/.test(line)) {
      inBox = !inBox
      afterBox = !inBox
      continue
    }
    if (inBox) continue
    if (afterBox && line === '') {
      afterBox = false
      continue
    }
    afterBox = false
    kept.push(line)
  }
  return kept.join('\n')
}
