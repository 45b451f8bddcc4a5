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
  /**
   * The account's RSA private key (b64, under the master key, as `ug` gives it): it opens the share keys owners
   * send the account (mega-api.md §2.3, §6.2). Absent in sessions stored by older builds until fetched again.
   */
  privk?: string
}
