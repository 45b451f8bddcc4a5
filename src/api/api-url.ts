import {CommandError, ExitCode, UsageError} from '../errors.js'

/** The real MEGA API gateway (megajs DEFAULT_GATEWAY, SDK MegaClient::APIURL). */
export const DEFAULT_API_URL = 'https://g.api.mega.co.nz/'

/**
 * An API base URL as requests use it: http(s) only, ending with '/' because endpoints are appended directly
 * (mega-api.md §1.1, megajs `cs?`). Anything else is refused here, before a request could carry it (a URL that
 * fails to parse later would put the whole request URL, session id included, in the error).
 */
export function normalizeApiUrl(text: string, source = 'MEGA_API_URL'): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`${source} is not a valid URL: ${text}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${source} must be an http or https URL: ${text}`)
  if (url.search || url.hash || url.username || url.password) throw new UsageError(`${source} must be a plain http(s) base URL: ${text}`)
  const base = url.toString()
  return base.endsWith('/') ? base : `${base}/`
}

function urlFromEnvironment(): string | undefined {
  const text = process.env.MEGA_API_URL
  return text ? normalizeApiUrl(text) : undefined
}

/**
 * The API base URL for requests that carry no session (login, signup, public links): `MEGA_API_URL` when
 * set, else the one a session was made with, else the real MEGA.
 */
export function resolveApiUrl(sessionUrl?: string): string {
  return urlFromEnvironment() ?? (sessionUrl ? normalizeApiUrl(sessionUrl, 'the session\'s API URL') : DEFAULT_API_URL)
}

/**
 * The API base URL for requests that carry a session: the server that issued it, and no other. When
 * `MEGA_API_URL` names another server the session id must not go there (it would hand the session to whoever
 * runs that server): refused, exit 57, as if not logged in there.
 */
export function sessionApiUrl(issuer?: string): string {
  if (!issuer) return resolveApiUrl()
  const own = normalizeApiUrl(issuer, 'the session\'s API URL')
  const requested = urlFromEnvironment()
  if (requested && requested !== own) {
    throw new CommandError(`The session belongs to ${own}, not to MEGA_API_URL=${requested}: unset MEGA_API_URL, or log out and log in there`, ExitCode.NOTLOGGEDIN)
  }
  return own
}
