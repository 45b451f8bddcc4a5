import {decodePublicKey, saltV2} from '@mega-shell/core'
import {checkSecondFactor} from '../accounts/login-check.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import {b64ToBuffer, isB64, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import type {UserRow} from '../stores/user-store.js'
import {currentUser} from './accounts.js'
import type {CommandContext, CommandTable} from './command-context.js'
import {confirmSignupV1, createEphemeralAccount} from './registration.js'
import {setAttributes} from './user-attributes.js'

/**
 * `up`, the legacy "user update" command; what it does depends on the fields sent (mega-api.md §3.4–§3.6):
 *   {k, ts} without a session       a new ephemeral account (signup step 1)
 *   {c, uh}                         v1 signup confirmation
 *   {k, uh[, crv][, mfa]}           password change
 *   {pubk, privk}                   the key pair of a fresh account (SDK CommandSetKeyPair)
 *   {name} / {firstname|lastname}   names, as megatools and the old webclient set them
 * Every form answers the user handle.
 */
export const userUpdateCommands: CommandTable = {
  up: {auth: 'none', run: userUpdate},
}

function userUpdate(cmd: ApiCommand, ctx: CommandContext): unknown {
  if (!ctx.session) {
    if (cmd.k !== undefined && cmd.ts !== undefined) return createEphemeralAccount(cmd, ctx)
    fail(ApiCode.ESID, 'not logged in')
  }
  if (cmd.c !== undefined && cmd.uh !== undefined) return confirmSignupV1(cmd, ctx)
  const user = currentUser(ctx)
  if (cmd.k !== undefined && cmd.uh !== undefined) return changePassword(cmd, ctx, user)
  if (cmd.pubk !== undefined || cmd.privk !== undefined) {
    const pubk = reqString(cmd, 'pubk')
    const privk = reqString(cmd, 'privk')
    if (user.pubk) fail(ApiCode.EEXIST, 'the account already has a key pair')
    if (!isB64(privk) || !isPublicKey(pubk)) fail(ApiCode.EARGS, 'bad key pair')
    ctx.server.users.setKeyPair(user.handle, pubk, privk)
    return user.handle
  }
  const name = optString(cmd, 'name')
  if (name !== undefined) {
    ctx.server.users.setName(user.handle, name)
    return user.handle
  }
  const names = Object.fromEntries(['firstname', 'lastname'].flatMap((key) => {
    const value = optString(cmd, key)
    return value !== undefined && isB64(value) ? [[key, value]] : []
  }))
  if (Object.keys(names).length === 0) fail(ApiCode.EARGS, 'nothing to update')
  setAttributes(ctx, user.handle, names)
  return user.handle
}

/**
 * Password change (mega-api.md §3.6; SDK CommandSetMasterKey): `k` is the same master key under the new
 * password key. With `crv` the account is (or becomes) v2: the salt is made from crv and `uh` is the hashed
 * auth key; without, v1: `uh` is the 8-byte user hash. Two-factor accounts need `mfa`. Other sessions stay
 * valid: mega-api.md names no session kill on `up`, and MEGAcmd's "will close all your sessions" warning is
 * the client's own wording (it never calls usr after passwd).
 */
function changePassword(cmd: ApiCommand, ctx: CommandContext, user: UserRow): string {
  if (!user.confirmed) fail(ApiCode.EACCESS, 'account not confirmed')
  checkSecondFactor(user, optString(cmd, 'mfa'), ctx.server.users)
  const k = reqString(cmd, 'k')
  const uh = reqString(cmd, 'uh')
  const crv = optString(cmd, 'crv')
  if (b64ToBuffer(k).length !== 16) fail(ApiCode.EARGS, 'bad k')
  if (crv !== undefined) {
    if (b64ToBuffer(crv).length !== 16 || b64ToBuffer(uh).length !== 16) fail(ApiCode.EARGS, 'bad crv or uh')
    ctx.server.users.setPassword(user.handle, {version: 2, k, uh, salt: saltV2(b64ToBuffer(crv)).toString('base64url')})
  } else {
    // A v2 account changing password without a new crv would keep a salt its new key was not made with.
    if (user.version === 2 || b64ToBuffer(uh).length !== 8) fail(ApiCode.EARGS, 'a v2 password change needs crv')
    ctx.server.users.setPassword(user.handle, {version: 1, k, uh, salt: null})
  }
  return user.handle
}

function isPublicKey(pubk: string): boolean {
  try {
    decodePublicKey(pubk)
    return true
  } catch {
    return false
  }
}
