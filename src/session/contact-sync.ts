import {type ContactRequest, type ContactStore, Visibility} from '../store/contact-store.js'

/** A user entry of `f.u` and of `c` packets (mega-api.md §4.2, §1.5; SDK readusers / sc_contacts). */
export interface RawUser {
  u: string
  c?: number
  m?: string
  ts?: number
}

/** A pending contact request of `f.ipc`/`f.opc` and of `ipc`/`opc` packets (SDK readipc/readopc, sc_ipc/sc_opc). */
export interface RawContactRequest {
  p: string
  /** The other party: sender (incoming) or target (outgoing). */
  m?: string
  /** Our own email, on outgoing requests. */
  e?: string
  ts?: number
  uts?: number
  rts?: number
  /** Set when the request was deleted (cancelled by its sender). */
  dts?: number
  msg?: string
}

/** The contact members of an `f` reply. */
export interface ContactLists {
  u?: RawUser[]
  ipc?: RawContactRequest[]
  opc?: RawContactRequest[]
}

/** Answer status in `upci`/`upco` packets (mega-api.md §6.4; SDK sc_upc). */
const IGNORED = 1

function toRequest(raw: RawContactRequest, outgoing: boolean, known?: ContactRequest): ContactRequest {
  return {
    handle: raw.p,
    outgoing,
    email: raw.m ?? known?.email ?? '',
    ts: raw.ts ?? known?.ts ?? 0,
    uts: raw.uts ?? raw.ts ?? known?.uts ?? 0,
    rts: raw.rts ?? known?.rts ?? null,
    msg: raw.msg ?? known?.msg ?? null,
  }
}

function upsertUser(store: ContactStore, raw: RawUser): void {
  const known = store.user(raw.u)
  const email = raw.m ?? known?.email
  if (!email) return
  store.upsertUser({handle: raw.u, email, visibility: (raw.c ?? known?.visibility ?? Visibility.HIDDEN) as Visibility, ts: raw.ts ?? known?.ts ?? 0})
}

/** Replaces the cached contacts with those of a full `f` reply. */
export function loadContacts(store: ContactStore, lists: ContactLists): void {
  store.clear()
  for (const user of lists.u ?? []) upsertUser(store, user)
  for (const request of lists.ipc ?? []) store.upsertRequest(toRequest(request, false))
  for (const request of lists.opc ?? []) store.upsertRequest(toRequest(request, true))
}

/**
 * Applies one contact action packet; false when the packet is not about contacts. `ipc`/`opc` with `dts`
 * remove a cancelled request; an answered request (`upci` to the one who answered, `upco` to its sender)
 * leaves the lists, except that an ignored one stays pending for its sender, who is not told (SDK sc_upc,
 * webclient: ignoring is silent).
 */
export function applyContactPacket(store: ContactStore, packet: {a: string}): boolean {
  switch (packet.a) {
    case 'c': {
      for (const user of (packet as {u?: RawUser[]}).u ?? []) upsertUser(store, user)
      return true
    }
    case 'ipc':
    case 'opc': {
      const raw = packet as unknown as RawContactRequest
      if (raw.dts) store.deleteRequest(raw.p)
      else store.upsertRequest(toRequest(raw, packet.a === 'opc', store.request(raw.p)))
      return true
    }
    case 'upci':
    case 'upco': {
      const {p, s, uts} = packet as unknown as {p: string; s?: number; uts?: number}
      const known = store.request(p)
      if (packet.a === 'upco' && s === IGNORED) {
        if (known) store.upsertRequest({...known, uts: uts ?? known.uts})
      } else {
        store.deleteRequest(p)
      }
      return true
    }
    default:
      return false
  }
}
