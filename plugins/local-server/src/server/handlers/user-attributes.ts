import {ApiCode, fail} from '../protocol/api-error.js'
import {isB64, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {attributeScope} from '../stores/attribute-store.js'
import {Visibility} from '../stores/contact-store.js'
import type {UserRow} from '../stores/user-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/** User attributes and public keys: uga, up2, upv, upr, uk (mega-api.md §3.9). */
export const userAttributeCommands: CommandTable = {
  uga: {auth: 'session', run: getAttribute},
  up2: {auth: 'session', run: putAttributes},
  upv: {auth: 'session', run: putVersionedAttributes},
  upr: {auth: 'session', run: deleteAttribute},
  uk: {auth: 'session', run: publicKey},
}

/** Larger values are refused: 64 kB, or 16 MB for names whose second character is `~` (mega-api.md §3.9). */
const MAX_VALUE_B64 = Math.ceil((64 * 1024 * 4) / 3)
const MAX_LARGE_VALUE_B64 = Math.ceil((16 * 1024 * 1024 * 4) / 3)

/**
 * `uga {u, ua, v:1}` → {av, v} (SDK CommandGetUA). The reader sees its own attributes, anyone's public (`+`)
 * ones, and its contacts' protected ones (firstname, lastname, `#`); everything else of another account is
 * EACCESS, so accounts learn nothing of each other beyond what contacts share. Unset → ENOENT.
 */
function getAttribute(cmd: ApiCommand, ctx: CommandContext): unknown {
  const reader = requireSession(ctx).user
  const owner = ctx.server.users.byHandleOrEmail(reqString(cmd, 'u'))
  const name = reqString(cmd, 'ua')
  if (!owner || !owner.confirmed && owner.handle !== reader) fail(ApiCode.ENOENT, 'no such user')
  if (!mayRead(ctx, reader, owner, name)) fail(ApiCode.EACCESS, 'attribute not visible to this account')
  const stored = ctx.server.attributes.get(owner.handle, name)
  if (!stored) fail(ApiCode.ENOENT, 'attribute not set')
  return {av: stored.value, v: stored.version}
}

function mayRead(ctx: CommandContext, reader: string, owner: UserRow, name: string): boolean {
  if (reader === owner.handle) return true
  const scope = attributeScope(name)
  if (scope === 'public') return true
  return scope === 'protected' && ctx.server.contacts.isContact(owner.handle, reader)
}

/** `up2 {<name>: <b64>, …}` → {<name>: <new version>, …} (SDK CommandPutUA / CommandPutMultipleUAVer). */
function putAttributes(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = requireSession(ctx).user
  const values = Object.entries(cmd).filter(([key]) => key !== 'a' && key !== 'i')
  if (values.length === 0) fail(ApiCode.EARGS, 'no attribute')
  for (const [name, value] of values) checkValue(name, value)
  return setAttributes(ctx, user, Object.fromEntries(values) as Record<string, string>)
}

/**
 * `upv {<name>: [<b64>, <version>]}` (SDK CommandPutUAVer / CommandPutMultipleUAVer): the write happens only if
 * `version` is the current one, so two clients editing one attribute cannot lose each other's change. A missing
 * or stale version of an existing attribute answers EEXPIRED and writes none of the command's attributes: the SDK
 * then re-reads `^!keys` and retries (KeyManager::updateAttribute, src/megaclient.cpp, "Versioning clash"), so a
 * `^!keys` is never replaced by one built on an older version.
 * In the SDK dialect the reply is `["<st>", {<name>: <version>}]` and the `ua` packet carries that tag: the SDK
 * then knows the packet is its own change and does not fetch the attribute again (MegaClient::sc_userattr,
 * "Skipping … self action packet").
 */
function putVersionedAttributes(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = requireSession(ctx).user
  const values = Object.entries(cmd).filter(([key]) => key !== 'a' && key !== 'i')
  if (values.length === 0) fail(ApiCode.EARGS, 'no attribute')
  const updates: Record<string, string> = {}
  for (const [name, pair] of values) {
    if (!Array.isArray(pair)) fail(ApiCode.EARGS, 'upv wants [value, version]')
    const [value, version] = pair as unknown[]
    checkValue(name, value)
    const current = ctx.server.attributes.get(user, name)
    if (current && current.version !== version) fail(ApiCode.EEXPIRED, 'stale attribute version')
    updates[name] = value as string
  }
  return setAttributes(ctx, user, updates)
}

/** `upr {ua}` (SDK CommandDelUA) → 0; ENOENT when the attribute is not set. */
function deleteAttribute(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = requireSession(ctx).user
  const name = reqString(cmd, 'ua')
  if (!ctx.server.attributes.delete(user, name)) fail(ApiCode.ENOENT, 'attribute not set')
  announce(ctx, user, {[name]: ''})
  return 0
}

/** `uk {u}` → {u, pubk} (SDK CommandPubKeyRequest): public keys are public; an account without one is ENOENT. */
function publicKey(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = ctx.server.users.byHandleOrEmail(reqString(cmd, 'u'))
  if (!user || !user.confirmed || !user.pubk) fail(ApiCode.ENOENT, 'no such user')
  return {u: user.handle, pubk: user.pubk}
}

function checkValue(name: string, value: unknown): void {
  if (!name || name.length > 64 || typeof value !== 'string' || !isB64(value)) fail(ApiCode.EARGS, 'bad attribute')
  const limit = name[1] === '~' ? MAX_LARGE_VALUE_B64 : MAX_VALUE_B64
  if (value.length > limit) fail(ApiCode.EARGS, 'attribute too large')
}

/**
 * Stores attribute values for `user` and tells the account and its contacts with a `ua` packet naming the
 * changed attributes and their versions; clients refetch with `uga` (mega-api.md §1.5; SDK sc_userattr).
 */
export function setAttributes(ctx: CommandContext, user: string, values: Record<string, string>): Record<string, string> {
  const versions: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) versions[name] = ctx.server.attributes.set(user, name, value)
  announce(ctx, user, versions)
  return versions
}

function announce(ctx: CommandContext, user: string, versions: Record<string, string>): void {
  const packet = {u: user, ua: Object.keys(versions), v: Object.values(versions)}
  ctx.emit(user, 'ua', packet)
  // Only protected and public names concern contacts; private ones stay the owner's business.
  if (Object.keys(versions).some((name) => attributeScope(name) !== 'private')) {
    for (const contact of ctx.server.contacts.contactsOf(user)) {
      if (contact.visibility === Visibility.VISIBLE) ctx.emit(contact.contact, 'ua', packet)
    }
  }
}
