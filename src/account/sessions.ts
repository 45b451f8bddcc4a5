import type {ApiClient} from '../api/client.js'

/** One entry of `usl` (mega-api.md §3.8; SDK CommandGetUserSessions with x:1, d:1). */
export interface AccountSession {
  /** The session handle: MEGAcmd's "Session ID", what `killsession` takes. */
  id: string
  created: number
  lastUsed: number
  userAgent: string
  ip: string
  country: string
  current: boolean
  alive: boolean
  deviceId: string
}

export async function listSessions(api: ApiClient): Promise<AccountSession[]> {
  const rows = await api.request<unknown[][]>({a: 'usl', x: 1, d: 1})
  return (Array.isArray(rows) ? rows : []).map((row) => {
    const [created, lastUsed, userAgent, ip, country, current, id, alive, deviceId] = row
    return {
      id: String(id ?? ''), created: Number(created) || 0, lastUsed: Number(lastUsed) || 0, userAgent: String(userAgent ?? ''),
      ip: String(ip ?? ''), country: String(country ?? ''), current: current === 1, alive: alive === 1, deviceId: String(deviceId ?? ''),
    }
  })
}

/**
 * `usr {s:[id]}` kills one session, `usr {ko:1}` every session but the current one (SDK CommandKillSessions);
 * an unknown id is -9.
 */
export async function killSession(api: ApiClient, id: string): Promise<void> {
  await api.request({a: 'usr', s: [id]})
}

export async function killOtherSessions(api: ApiClient): Promise<void> {
  await api.request({a: 'usr', ko: 1})
}
