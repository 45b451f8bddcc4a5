import {isValidEmail} from '@mega-shell/core'
import {ApiCode, fail} from '../protocol/api-error.js'
import {optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {newUserHandle, nowSeconds} from '../protocol/handles.js'
import {Visibility, type ContactRequestRow} from '../stores/contact-store.js'
import type {UserRow} from '../stores/user-store.js'
import {currentUser} from './accounts.js'
import type {CommandContext, CommandTable} from './command-context.js'
import {dropPendingShares, endSharesBetween, promotePendingShares} from './shares.js'

/**
 * Contacts (mega-api.md §6.4): upc invites / cancels / reminds, upca answers, ur2 removes. Every change is
 * told to both sides on `sc` (§1.5): opc/ipc for requests, upco/upci for answers, c for the contact list.
 */
export const contactCommands: CommandTable = {
  upc: {auth: 'session', run: setPendingContact},
  upca: {auth: 'session', run: answerPendingContact},
  ur2: {auth: 'session', run: removeContact},
}

/** Reminders are allowed once the request (or the last reminder) is this old; MEGAcmd says "after 15 days". */
const REMIND_AFTER_S = 15 * 24 * 3600

/** upca/upci/upco status numbers (SDK sc_upc). */
const Answer = {IGNORED: 1, ACCEPTED: 2, DENIED: 3} as const

/**
 * `upc {u: email, aa, msg?}` (SDK CommandSetPendingContact). `a` → {p, m, e, msg, ts, uts}; inviting yourself
 * or a malformed email is EARGS, an existing contact or request EEXIST (guesses: the SDK shows the generic
 * error). `d` cancels → 0. `r` reminds → 0, or EACCESS before 15 days (MEGAcmd prints "Reminder not yet
 * available" on EACCESS). The invitee gets a mail in the outbox, and an `ipc` packet if it has an account.
 */
function setPendingContact(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = contactUser(ctx)
  const target = reqString(cmd, 'u').trim().toLowerCase()
  const action = optString(cmd, 'aa') ?? 'a'
  const {contacts, users} = ctx.server
  const invitee = users.byEmail(target)
  const now = nowSeconds()
  if (action === 'a') {
    if (!isValidEmail(target) || target === me.email) fail(ApiCode.EARGS, 'cannot invite this address')
    if (invitee && contacts.isContact(me.handle, invitee.handle)) fail(ApiCode.EEXIST, 'already a contact')
    if (contacts.requestBetween(me.handle, target)) fail(ApiCode.EEXIST, 'already invited')
    const request = invite(ctx, me, target, optString(cmd, 'msg') ?? '')
    return {p: request.handle, m: target, e: me.email, msg: request.msg, ts: now, uts: now}
  }
  const request = contacts.requestBetween(me.handle, target)
  if (!request) fail(ApiCode.ENOENT, 'no such contact request')
  if (action === 'd') {
    contacts.deleteRequest(request.handle)
    announceRequest(ctx, me, {...request, uts: now}, invitee, {dts: now})
    dropPendingShares(ctx, request)
    return 0
  }
  if (action === 'r') {
    if (now - Math.max(request.ts, request.rts) < REMIND_AFTER_S) fail(ApiCode.EACCESS, 'reminder not yet available')
    contacts.remind(request.handle, now)
    announceRequest(ctx, me, {...request, uts: now, rts: now}, invitee, {})
    mailInvitation(ctx, me, request)
    return 0
  }
  fail(ApiCode.EARGS, 'unknown action')
}

/**
 * A new contact request from `me` to `target` (an email): stored, announced (`opc`, and `ipc` when the invitee
 * has an account) and mailed. Sharing a folder with someone who is not a contact sends one too (shares.ts).
 */
export function invite(ctx: CommandContext, me: UserRow, target: string, msg: string): ContactRequestRow {
  const now = nowSeconds()
  const request: ContactRequestRow = {handle: newUserHandle(), source: me.handle, target, msg, ts: now, uts: now, rts: 0, ignored: 0}
  ctx.server.contacts.addRequest(request)
  announceRequest(ctx, me, request, ctx.server.users.byEmail(target), {})
  mailInvitation(ctx, me, request)
  return request
}

/**
 * `upca {p, aa}` (SDK CommandUpdatePendingContact) by the invitee: `a` accept (both become contacts, `c`
 * packets, and the folders shared with the invitee while it was not a contact become shares), `d` deny (those
 * pending shares go), `i` ignore (silent: the sender is not told and still sees the request as pending).
 * Only a request addressed to the caller's email can be answered; any other handle is ENOENT.
 */
function answerPendingContact(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = contactUser(ctx)
  const {contacts, users} = ctx.server
  const request = contacts.request(reqString(cmd, 'p'))
  if (!request || request.target !== me.email) fail(ApiCode.ENOENT, 'no such contact request')
  const sender = users.byHandle(request.source)
  if (!sender) fail(ApiCode.ENOENT, 'the sender is gone')
  const action = reqString(cmd, 'aa')
  const now = nowSeconds()
  const status = {a: Answer.ACCEPTED, d: Answer.DENIED, i: Answer.IGNORED}[action]
  if (status === undefined) fail(ApiCode.EARGS, 'unknown action')
  if (status === Answer.IGNORED) {
    contacts.ignore(request.handle, now)
    ctx.emit(me.handle, 'upci', {p: request.handle, uts: now, s: status, m: sender.email})
    return 0
  }
  contacts.deleteRequest(request.handle)
  ctx.emit(me.handle, 'upci', {p: request.handle, uts: now, s: status, m: sender.email})
  ctx.emit(sender.handle, 'upco', {p: request.handle, uts: now, s: status, m: me.email})
  if (status !== Answer.ACCEPTED) {
    dropPendingShares(ctx, request)
    return 0
  }
  setContact(ctx, me, sender, Visibility.VISIBLE, now)
  promotePendingShares(ctx, request, sender, me)
  // A request the other way round is settled by this acceptance too, with the folders it carried.
  const reverse = contacts.requestBetween(me.handle, sender.email)
  if (reverse) {
    contacts.deleteRequest(reverse.handle)
    announceRequest(ctx, me, {...reverse, uts: now}, sender, {dts: now})
    promotePendingShares(ctx, reverse, me, sender)
  }
  return 0
}

/**
 * `ur2 {u: email|handle, l:0}` → {u, m} (SDK CommandRemoveContact): both sides see the other with c:0, and the
 * folders either shared with the other are no longer shared. Not a contact → ENOENT.
 */
function removeContact(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = contactUser(ctx)
  const other = ctx.server.users.byHandleOrEmail(reqString(cmd, 'u'))
  if (!other || !ctx.server.contacts.isContact(me.handle, other.handle)) fail(ApiCode.ENOENT, 'not a contact')
  endSharesBetween(ctx, me, other)
  setContact(ctx, me, other, Visibility.HIDDEN, nowSeconds())
  return {u: other.handle, m: other.email}
}

/** An ephemeral account has no email yet, so it can neither invite nor be a contact. */
function contactUser(ctx: CommandContext): UserRow {
  const me = currentUser(ctx)
  if (!me.confirmed) fail(ApiCode.EACCESS, 'account not confirmed')
  return me
}

function setContact(ctx: CommandContext, a: UserRow, b: UserRow, visibility: number, now: number): void {
  ctx.server.contacts.setMutual(a.handle, b.handle, visibility, now)
  ctx.emit(a.handle, 'c', {u: [{u: b.handle, c: visibility, m: b.email, ts: now}]})
  ctx.emit(b.handle, 'c', {u: [{u: a.handle, c: visibility, m: a.email, ts: now}]})
}

/** `opc` to the sender and, when the invitee has an account, `ipc` to it (mega-api.md §1.5; SDK sc_opc/sc_ipc). */
function announceRequest(ctx: CommandContext, sender: UserRow, r: ContactRequestRow, invitee: UserRow | undefined, extra: {dts?: number}): void {
  const rts = r.rts ? {rts: r.rts} : {}
  ctx.emit(sender.handle, 'opc', {e: sender.email, m: r.target, ts: r.ts, uts: r.uts, ...rts, msg: r.msg, p: r.handle, ...extra})
  if (invitee) ctx.emit(invitee.handle, 'ipc', {m: sender.email, ts: r.ts, uts: r.uts, ...rts, msg: r.msg, p: r.handle, ...extra})
}

function mailInvitation(ctx: CommandContext, sender: UserRow, r: ContactRequestRow): void {
  const message = r.msg ? `\n\nTheir message: ${r.msg}` : ''
  ctx.server.outbox.send({
    to: r.target, kind: 'contact-request', subject: `${sender.email} has invited you to be their MEGA contact`,
    body: `${sender.email} wants to add you as a contact on MEGA.${message}\n\nAnswer with: mega ipc ${sender.email} -a | -d | -i\n`,
  })
}

/**
 * The contact lists `f` carries (mega-api.md §4.2): `u` with the own user (c:2), `ipc` and `opc`. The owners of
 * folders shared with the account are in `u` too (as hidden when they are no contacts), so a client can name
 * them (the SDK's inbound shares take their user from it: MegaClient::finduser).
 */
export function contactLists(ctx: CommandContext, me: UserRow, owners: Iterable<string> = []): {u: unknown[]; ipc: unknown[]; opc: unknown[]} {
  const {contacts, users} = ctx.server
  const u: Array<{u: string} & Record<string, unknown>> = [{u: me.handle, c: Visibility.ME, m: me.email, ts: me.created}]
  for (const row of contacts.contactsOf(me.handle)) {
    const other = users.byHandle(row.contact)
    if (other) u.push({u: other.handle, c: row.visibility, m: other.email, ts: row.ts})
  }
  for (const owner of owners) {
    const other = users.byHandle(owner)
    if (other && !u.some((entry) => entry.u === owner)) u.push({u: other.handle, c: Visibility.HIDDEN, m: other.email, ts: 0})
  }
  const ipc = contacts.incoming(me.email).filter((r) => !r.ignored).flatMap((r) => {
    const sender = users.byHandle(r.source)
    return sender ? [{p: r.handle, m: sender.email, ts: r.ts, uts: r.uts, msg: r.msg}] : []
  })
  const opc = contacts.outgoing(me.handle).map((r) => ({p: r.handle, e: me.email, m: r.target, ts: r.ts, uts: r.uts, rts: r.rts, msg: r.msg}))
  return {u, ipc, opc}
}
