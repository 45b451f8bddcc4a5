/** Reading MEGAcmd 2.5.2's output beside ours, for the comparisons of test/megacmd. */

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
