/** The real MEGA API gateway (megajs DEFAULT_GATEWAY, SDK MegaClient::APIURL). */
export const DEFAULT_API_URL = 'https://g.api.mega.co.nz/'

/**
 * The API base URL to use: `MEGA_API_URL` when set, else the one the session was made with, else the real
 * MEGA. It must end with '/' because endpoints are appended directly (mega-api.md §1.1, megajs `cs?`).
 */
export function resolveApiUrl(sessionUrl?: string): string {
  const url = process.env.MEGA_API_URL || sessionUrl || DEFAULT_API_URL
  return url.endsWith('/') ? url : `${url}/`
}
