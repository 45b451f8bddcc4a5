/** Replies kept per session: the SDK has two `cs` channels (main and lockless), each with its own id counter. */
const PER_SESSION = 8
/** Large replies (a big account's `f`) are not kept: resending those is harmless, keeping them is not. */
const MAX_REPLY_CHARS = 64 * 1024
/** Sessions remembered at most; beyond that the cache starts over (a retry then simply runs again). */
const MAX_SESSIONS = 10_000

interface CachedReply {
  id: string
  body: string
  reply: string
}

/**
 * Idempotent `cs` requests (sdk-dialect.md §1.1): a client that got no answer resends the identical batch with the
 * same `id` (the SDK keeps `cachedJSON` and `cachedIdempotenceId`, Request::get, and resends it from
 * RequestDispatcher::serverrequest after a failure; its comments assume "server API is idempotent"; go-mega and
 * megatools reuse the id too). Such a batch gets the reply it got the first time instead of running twice, so a
 * repeated `p` does not create the nodes again. Keyed by session, id and body; batches without a session are not
 * cached (the same body from two logins must give two sessions).
 */
export class ReplyCache {
  private readonly bySession = new Map<string, CachedReply[]>()

  lookup(sid: string, id: string, body: string): string | undefined {
    return this.bySession.get(sid)?.find((entry) => entry.id === id && entry.body === body)?.reply
  }

  remember(sid: string, id: string, body: string, reply: string): void {
    if (reply.length > MAX_REPLY_CHARS) return
    let entries = this.bySession.get(sid)
    if (!entries) {
      if (this.bySession.size >= MAX_SESSIONS) this.bySession.clear()
      this.bySession.set(sid, (entries = []))
    }
    entries.push({id, body, reply})
    if (entries.length > PER_SESSION) entries.shift()
  }

  forget(sid: string): void {
    this.bySession.delete(sid)
  }
}
