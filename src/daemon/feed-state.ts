import {createHash} from 'node:crypto'

/**
 * Whether the background server's live feed (live-feed.ts) keeps the cache current for the running command's
 * session. The server says so with each command it hands to a command host; ready() then skips its catch-up round
 * trip, which is most of a command's latency. Outside the server nothing sets it: every command catches up itself.
 */
let coveredSession: string | undefined

/** A stand-in for a session id that says which session it is without being it (the id is a secret). */
export function sessionFingerprint(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 16)
}

/** Set by the command host per command: the fingerprint of the session the feed follows, or undefined. */
export function setLiveFeedSession(fingerprint: string | undefined): void {
  coveredSession = fingerprint
}

export function liveFeedCovers(sid: string): boolean {
  return coveredSession !== undefined && coveredSession === sessionFingerprint(sid)
}
