import {ApiClient} from '../api/client.js'
import {b64decode} from '../crypto/base64.js'
import {CommandError, ExitCode, failedTo, MegaError} from '../errors.js'
import {authenticate, prelogin} from '../session/login.js'
import type {SignupLink} from './signup-link.js'

export interface ConfirmedAccount {
  email: string
  name: string
  userHandle: string
}

/**
 * Confirms a v2 signup (mega-api.md §3.5 v2 step 5; SDK performRequest_confirmAccount → `ud2`), checking the
 * password first so that a wrong one changes nothing: `us` with the password answers -13 (EINCOMPLETE) for
 * the right password of an unconfirmed account, -9 for a wrong one, and logs in when the account is already
 * confirmed (that session is closed again with `sml`). Then `ud2 {c}` confirms; -9 there means the code is
 * unknown or used. Runs on its own API client: the caller's session is not involved.
 */
export async function confirmAccount(apiUrl: string, link: SignupLink, password: string): Promise<ConfirmedAccount> {
  const api = new ApiClient({apiUrl})
  let pre
  try {
    pre = await prelogin(api, link.email)
  } catch (error) {
    // No account (pending or confirmed) for this email: the link cannot be one of ours.
    throw failedTo('check email corresponds to link', error)
  }
  let loggedIn = false
  try {
    const {sid} = await authenticate(api, link.email, password, {prelogin: pre})
    api.sid = sid
    loggedIn = true
    await api.request({a: 'sml'}).catch(() => undefined)
  } catch (error) {
    if (!(error instanceof MegaError)) throw error
    // 2FA is only possible on a confirmed account, and the server checks it after the password.
    if (error.code === -26 || error.code === -5 || error.code === -8) loggedIn = true
    else if (error.code === -9) throw new MegaError(-9, 'Invalid password')
    else if (error.code !== -13) throw failedTo('confirm account', error)
  }
  if (loggedIn) throw new CommandError(`Account ${link.email} is already confirmed`, ExitCode.INVALIDSTATE)
  let reply: unknown
  try {
    reply = await api.request({a: 'ud2', c: link.code})
  } catch (error) {
    if (error instanceof MegaError && error.code === -9) throw new MegaError(-9, 'Failed to confirm account: the confirmation link is unknown or was already used')
    throw failedTo('confirm account', error)
  }
  const [email, name, userHandle] = Array.isArray(reply) ? reply : []
  return {
    email: typeof email === 'string' ? b64decode(email).toString('utf8') : link.email,
    name: typeof name === 'string' ? b64decode(name).toString('utf8') : link.name,
    userHandle: typeof userHandle === 'string' ? userHandle : '',
  }
}
