import {type ContactRequest, printable} from '@mega-shell/core'

/**
 * `showpcr` rows as MEGAcmd prints them (megacmdexecuter.cpp "showpcr"): a title only when there are
 * requests, then ` <email left-aligned in 22>\t (id: <handle>, creation: <date>, modification: <date>)`; an
 * incoming request with a message adds `\n\tInvitation message: <msg>`. The email and the message are the other
 * user's words, escaped (format/printable.ts): any MEGA user can send us a request.
 */
export function pcrLines(requests: ContactRequest[], outgoing: boolean, time: (unixSeconds: number) => string): string[] {
  if (requests.length === 0) return []
  const lines = [outgoing ? 'Outgoing PCRs:' : 'Incoming PCRs:']
  for (const request of requests) {
    let line = ` ${printable(request.email).padEnd(22)}\t (id: ${request.handle}, creation: ${time(request.ts)}, modification: ${time(request.uts)})`
    if (!outgoing && request.msg) line += `\n\tInvitation message: ${printable(request.msg)}`
    lines.push(line)
  }
  return lines
}
