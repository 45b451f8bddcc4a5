import {type ContactUser, failedTo, fetchUserAttribute, type MegaContext, NotFoundError, Visibility} from '@mega-shell/core'

/** MEGAcmd's words for a visibility (megacmdutils.cpp visibilityToString). */
export function visibilityText(visibility: Visibility): string {
  switch (visibility) {
    case Visibility.VISIBLE:
      return 'Visible'
    case Visibility.HIDDEN:
      return 'Hidden'
    case Visibility.INACTIVE:
      return 'Inactive'
    case Visibility.BLOCKED:
      return 'Blocked'
    default:
      return 'Undefined visibility'
  }
}

/**
 * The account's contacts from the cache, without the account itself: visible ones, or every known one with
 * `hidden` (MEGAcmd `users -h` shows hidden, inactive and blocked users too).
 */
export function listContacts(ctx: MegaContext, hidden: boolean): ContactUser[] {
  const me = ctx.requireSession().userHandle
  return ctx.contacts.users().filter((u) => u.handle !== me && (hidden || u.visibility === Visibility.VISIBLE))
}

/**
 * "First Last" from the contact's `firstname` and `lastname` attributes (b64 of UTF-8, fetched with `uga`;
 * mega-api.md §3.9), as MEGAcmd's `users -n` joins them; empty when neither is readable.
 */
export async function contactName(ctx: MegaContext, user: ContactUser): Promise<string> {
  const read = async (name: string) => {
    try {
      return (await fetchUserAttribute(ctx.api, user.handle, name))?.value.toString('utf8') ?? ''
    } catch {
      // MEGAcmd prints a name part only when its request succeeds.
      return ''
    }
  }
  const [first, last] = await Promise.all([read('firstname'), read('lastname')])
  return [first, last].filter(Boolean).join(' ')
}

/**
 * Removes a contact with `ur2` (mega-api.md §6.4; SDK CommandRemoveContact) and marks it hidden in the cache,
 * as the `c` packet that follows does. Someone who is not a (visible) contact → 53.
 */
export async function removeContact(ctx: MegaContext, email: string): Promise<ContactUser> {
  const user = ctx.contacts.user(email)
  if (!user || user.visibility !== Visibility.VISIBLE || user.handle === ctx.requireSession().userHandle) throw new NotFoundError(`Contact not found: ${email}`)
  try {
    await ctx.api.request({a: 'ur2', u: user.handle, l: 0})
  } catch (error) {
    throw failedTo('delete contact', error)
  }
  const removed = {...user, visibility: Visibility.HIDDEN, ts: Math.floor(Date.now() / 1000)}
  await ctx.recordChange(() => ctx.contacts.upsertUser(removed))
  return removed
}
