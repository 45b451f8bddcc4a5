/** What the cache keeps about the logged-in session. Secret: stored only in the owner-only cache file. */
export interface SessionRecord {
  apiUrl: string
  /** Session id (b64), sent as `&sid=`. */
  sid: string
  /** Master key (b64). */
  masterKey: string
  userHandle: string
  email: string
  name?: string
}
