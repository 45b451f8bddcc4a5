import {currentProfileSettings} from '../config/profile-settings.js'

/**
 * MEGAcmd's proxy setting (`proxy`, megacmd-reference.md §6.7; MegaApi::setProxySettings): a proxy of the user's
 * (CUSTOM, with an optional username and password), the system's (AUTO: on Linux, the `https_proxy`/`http_proxy`
 * environment, as curl reads it), or none. Kept in the profile's settings, so the API client and the transfer engine
 * of every process of the profile use it, from the next request or connection on.
 */
export interface ProxySetting {
  type: 'custom' | 'auto' | 'none'
  /** CUSTOM: `http://host:port` (or https://). */
  url?: string
  username?: string
  password?: string
}

/** The proxy a request to `target` goes through (credentials in the URL), or undefined for a direct connection. */
export function proxyFor(target: URL, setting: ProxySetting | undefined = currentProfileSettings().proxy()): URL | undefined {
  if (!setting || setting.type === 'none') return undefined
  const text = setting.type === 'custom' ? setting.url : autoProxy(target)
  if (!text) return undefined
  const proxy = new URL(text)
  if (setting.type === 'custom' && setting.username !== undefined) {
    proxy.username = encodeURIComponent(setting.username)
    proxy.password = encodeURIComponent(setting.password ?? '')
  }
  return proxy
}

/** The proxy a curl-like client takes from the environment for `target`, minding `no_proxy`. */
function autoProxy(target: URL): string | undefined {
  const env = process.env
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean)
  const host = target.hostname.toLowerCase()
  if (noProxy.some((entry) => entry === '*' || host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`))) return undefined
  const specific = target.protocol === 'https:' ? env.https_proxy ?? env.HTTPS_PROXY : env.http_proxy ?? env.HTTP_PROXY
  return specific ?? env.all_proxy ?? env.ALL_PROXY ?? undefined
}

/** The `Proxy-Authorization` value for a proxy URL's credentials, if it has any. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
}

/** A proxy URL for messages: never its password. */
export function shownProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`
}
