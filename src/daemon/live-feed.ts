import {statSync} from 'node:fs'
import {join} from 'node:path'
import {SessionExpiredError} from '../errors.js'
import {MegaContext} from '../session/context.js'
import type {TreeChange} from '../session/tree-sync.js'
import type {DaemonLog} from './daemon-log.js'
import {sessionFingerprint} from './feed-state.js'
import type {SessionInfo} from './services.js'
import {apiPost} from '../network/api-post.js'


/** The wait URL blocks until something changes or the API's timeout; past this the request is presumed lost. */
const WAIT_LIMIT_MS = 10 * 60 * 1000
const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 60_000

export type FeedState =
  /** Not logged in to an account (or a folder link, which has no event channel). */
  | 'off'
  /** Catching up, or applying what a wait brought. */
  | 'catching-up'
  /** Caught up and waiting on the wait URL: the cache is current. */
  | 'live'
  /** The API could not be reached; trying again. */
  | 'retrying'
  /** The session was closed elsewhere (-15): the next command reports it. */
  | 'session-ended'

export interface FeedStatus {
  state: FeedState
  account?: string
  /** Long polls that ended (a change or the API's timeout). */
  waits: number
  lastError?: string
}

export interface FeedListener {
  treeChanged(change: TreeChange): void
  sessionChanged(session: SessionInfo): void
}

interface Follow {
  context: MegaContext
  fingerprint: string
  email: string
  /** The cache file's inode: a rebuilt cache (cache-recovery.ts) is a new file, and the feed must reopen it. */
  inode: number
  abort: AbortController
}

/**
 * The server's live feed: it follows the account's `sc` channel (mega-api.md §1.5) with the core's catch-up, long-
 * polling the wait URL the API gives, and applies remote changes to the cache as they happen. While it waits, the
 * cache is current, and the commands the server runs skip their own catch-up round trip (feed-state.ts). It costs
 * nothing while idle: one HTTP request blocked in the kernel. Logins and logouts made by any command of the profile
 * are noticed by refresh(), which the server calls around every command.
 */
export class LiveFeed {
  private follow?: Follow
  private state: FeedState = 'off'
  private waits = 0
  private lastError?: string
  /** The session services were last told about. */
  private announced?: string

  constructor(private readonly home: string, private readonly log: DaemonLog, private readonly listener: FeedListener) {}

  /** The session the feed keeps current (its fingerprint), only while it is live. */
  liveSession(): string | undefined {
    return this.state === 'live' ? this.follow?.fingerprint : undefined
  }

  /** The context of the followed session, for services. */
  context(): MegaContext | undefined {
    return this.follow?.context
  }

  status(): FeedStatus {
    return {state: this.state, account: this.follow?.email, waits: this.waits, lastError: this.lastError}
  }

  /** Compares the cache's session with the one followed, and starts, restarts or stops following. */
  refresh(): void {
    const inode = cacheInode(this.home)
    const follow = this.follow
    if (follow && follow.inode === inode) {
      const session = follow.context.session
      if (session && sessionFingerprint(session.sid) === follow.fingerprint) return
    }
    // Another session, a logout, or a rebuilt cache: follow anew, with a context (and API client) of its own.
    this.stopFollowing()
    const context = this.open()
    const session = context?.session
    const fingerprint = session ? sessionFingerprint(session.sid) : undefined
    if (context && session && fingerprint) {
      this.follow = {context, fingerprint, email: session.email, inode, abort: new AbortController()}
      void this.run(this.follow)
    } else {
      context?.close()
      this.state = 'off'
    }
    if (fingerprint !== this.announced) {
      this.announced = fingerprint
      this.listener.sessionChanged({loggedIn: Boolean(session), email: session?.email})
    }
  }

  /** Follows anew (a `reload` replaced the tree and its sequence number under the running long poll). */
  restart(): void {
    this.stopFollowing()
    this.refresh()
  }

  stop(): void {
    this.stopFollowing()
    this.state = 'off'
  }

  private open(): MegaContext | undefined {
    try {
      return new MegaContext({home: this.home, log: (line) => this.log.debug(`feed: ${line}`), warn: (line) => this.log.warn(`feed: ${line}`)})
    } catch (error) {
      this.log.error(`feed: cannot open the cache: ${(error as Error).message}`)
      return undefined
    }
  }

  private stopFollowing(): void {
    const follow = this.follow
    this.follow = undefined
    if (!follow) return
    follow.abort.abort()
    follow.context.close()
  }

  private async run(follow: Follow): Promise<void> {
    const {signal} = follow.abort
    let failures = 0
    this.log.info(`feed: following ${follow.email}`)
    while (!signal.aborted) {
      this.state = 'catching-up'
      try {
        const waitUrl = await follow.context.followChanges((change) => this.listener.treeChanged(change))
        if (signal.aborted) return
        failures = 0
        this.lastError = undefined
        if (!waitUrl) continue
        this.state = 'live'
        await waitFor(waitUrl, signal)
        this.waits++
        this.log.debug('feed: the wait URL answered')
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof SessionExpiredError) {
          this.state = 'session-ended'
          this.lastError = error.message
          this.log.warn('feed: the session was closed elsewhere; waiting for a new login')
          return
        }
        this.state = 'retrying'
        this.lastError = (error as Error).message
        const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures++)
        this.log.warn(`feed: ${this.lastError}; trying again in ${delay / 1000} s`)
        await sleep(delay, signal)
      }
    }
  }
}

/** POSTs to the wait URL (megajs API.wait does; go-mega GETs) and drains the answer, an empty 200. */
async function waitFor(url: string, signal: AbortSignal): Promise<void> {
  await apiPost(url, {headers: {}, signal: AbortSignal.any([signal, AbortSignal.timeout(WAIT_LIMIT_MS)]), timeoutMs: 0})
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, {once: true})
  })
}

function cacheInode(home: string): number {
  try {
    return statSync(join(home, 'cache.db')).ino
  } catch {
    return 0
  }
}
