import {CommandError, type ContactRequest, failedTo, formatTime, type MegaContext, MegaError} from '@mega-shell/core'

/** `upc` actions (mega-api.md §6.4; SDK CommandSetPendingContact): invite, cancel the invitation, remind. */
export type InviteAction = 'add' | 'delete' | 'remind'

const WIRE_ACTION: Record<InviteAction, string> = {add: 'a', delete: 'd', remind: 'r'}

/** The `upc` reply for a new invitation. */
interface InviteReply {
  p: string
  m?: string
  e?: string
  msg?: string
  ts?: number
  uts?: number
}

// MEGAcmd allows a reminder 15 days after the last change of the request ("available after 15 days").
const REMINDER_DELAY_S = 15 * 24 * 3600

/**
 * Sends, cancels or re-sends an invitation and applies the result to the cached outgoing requests at once
 * (the `opc` packet that follows says the same). MEGAcmd's messages on failure: "Failed to (re)invite user"
 * / "Failed to remove invitation", and for a reminder refused with EACCESS "Reminder not yet available:
 * available after 15 days (<date>)" (megacmdexecuter.cpp "invite").
 */
export async function sendInvitation(ctx: MegaContext, email: string, action: InviteAction, message?: string): Promise<ContactRequest | undefined> {
  const session = ctx.requireSession()
  const pending = ctx.contacts.requests(true).find((r) => r.email.toLowerCase() === email.toLowerCase())
  let reply: InviteReply | number
  try {
    reply = await ctx.api.request<InviteReply | number>({
      a: 'upc', e: session.email, u: email, aa: WIRE_ACTION[action], ...(message && action === 'add' ? {msg: message} : {}),
    })
  } catch (error) {
    if (action === 'remind' && error instanceof MegaError && error.code === -11) {
      const after = pending ? ` (${formatTime(pending.uts + REMINDER_DELAY_S, 'RFC2822')})` : ''
      throw new CommandError(`Reminder not yet available:  available after 15 days${after}`, 11)
    }
    throw failedTo(action === 'delete' ? 'remove invitation' : '(re)invite user', error)
  }
  const now = Math.floor(Date.now() / 1000)
  if (action === 'add' && typeof reply === 'object') {
    const request: ContactRequest = {
      handle: reply.p, outgoing: true, email: reply.m ?? email, ts: reply.ts ?? now, uts: reply.uts ?? reply.ts ?? now, rts: null, msg: reply.msg || null,
    }
    await ctx.recordChange(() => ctx.contacts.upsertRequest(request))
    return request
  }
  if (pending && action === 'delete') await ctx.recordChange(() => ctx.contacts.deleteRequest(pending.handle))
  if (pending && action === 'remind') await ctx.recordChange(() => ctx.contacts.upsertRequest({...pending, uts: now, rts: now}))
  return pending
}
