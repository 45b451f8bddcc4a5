/**
 * The numeric "cluster" prefix of stored file attributes. The SDK locates `:<type>*` and requires decimal
 * digits before the colon (mega-api.md §4.8; SDK getfa); the value itself means nothing to clients.
 */
const CLUSTER = '100'

/**
 * Turns the client form "0*<h>/1*<h>" into the stored "<cluster>:0*<h>/<cluster>:1*<h>" (entries that already
 * carry a cluster are kept). megatools may send `fa:null`; anything unusable gives null.
 */
export function normaliseFaField(fa: unknown): string | null {
  if (typeof fa !== 'string' || fa === '') return null
  const entries = fa.split('/').map((e) => e.trim()).filter((e) => /^(\d+:)?\d+\*[A-Za-z0-9_-]+$/.test(e))
  if (entries.length === 0) return null
  return entries.map((e) => (e.includes(':') ? e : `${CLUSTER}:${e}`)).join('/')
}

/** Replaces the entries of the same types in `current` with those of `added`. */
export function mergeFa(current: string | null, added: string): string {
  const byType = new Map<string, string>()
  for (const entry of [...(current ?? '').split('/'), ...added.split('/')].filter(Boolean)) {
    const type = /:(\d+)\*/.exec(entry)?.[1]
    if (type !== undefined) byType.set(type, entry)
  }
  return [...byType.values()].join('/')
}
