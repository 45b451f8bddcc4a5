import {type ContactRequest, failedTo, type MegaContext, NotFoundError} from '@mega-shell/core'

/** Answers to an incoming request (`upca` aa; mega-api.md §6.4, SDK CommandUpdatePendingContact). */
export type Answer = 'accept' | 'deny' | 'ignore'

const WIRE_ANSWER: Record<Answer, string> = {accept: 'a', deny: 'd', ignore: 'i'}

/** MEGAcmd's past tenses, "<verb>ed invitation by <email>" (megacmdexecuter.cpp "ipc": Accept, Reject, Ignor). */
export const ANSWER_VERB: Record<Answer, string> = {accept: 'Accepted', deny: 'Rejected', ignore: 'Ignored'}

/**
 * An incoming request named by its sender's email or by its id (the PCR handle showpcr prints), as MEGAcmd's
 * ipc finds it (getPcrByContact / getContactRequestByHandle). Not found → 53 "Could not find invitation <x>".
 */
export function findIncomingRequest(ctx: MegaContext, idOrEmail: string): ContactRequest {
  const incoming = ctx.contacts.requests(false)
  const found = idOrEmail.includes('@')
    ? incoming.find((r) => r.email.toLowerCase() === idOrEmail.toLowerCase())
    : incoming.find((r) => r.handle === idOrEmail)
  if (!found) throw new NotFoundError(`Could not find invitation ${idOrEmail}`)
  return found
}

/**
 * Sends the answer and drops the request from the cache (the `upci` packet that follows does the same); an
 * accepted sender shows up as a contact with the `c` packet of the next catch-up.
 */
export async function answerRequest(ctx: MegaContext, request: ContactRequest, answer: Answer): Promise<void> {
  try {
    await ctx.api.request({a: 'upca', p: request.handle, aa: WIRE_ANSWER[answer]})
  } catch (error) {
    throw failedTo('reply ipc', error)
  }
  await ctx.recordChange(() => ctx.contacts.deleteRequest(request.handle))
}
