import type {Dispatcher} from 'undici'
import {proxyAuthorization, proxyFor, shownProxy} from './proxy.js'

type Undici = Pick<typeof import('undici'), 'fetch' | 'ProxyAgent'>

let undici: Promise<Undici> | undefined
const agents = new Map<string, Dispatcher>()

/**
 * fetch() for the API client, through the profile's proxy when one is set (undici's ProxyAgent: an HTTP CONNECT
 * tunnel per connection, as curl and the SDK use for a CUSTOM proxy). Direct requests use Node's own fetch, and
 * undici's module is loaded only when a proxy is in use.
 */
export async function proxiedFetch(address: string, init: RequestInit): Promise<Response> {
  const url = new URL(address)
  const proxy = proxyFor(url)
  if (!proxy) return fetch(url, init)
  const {fetch: undiciFetch, ProxyAgent} = await (undici ??= import('undici') as Promise<Undici>)
  const key = proxy.href
  let agent = agents.get(key)
  if (!agent) {
    const token = proxyAuthorization(proxy)
    agents.set(key, (agent = new ProxyAgent({uri: shownProxy(proxy), ...(token ? {token} : {})})))
  }
  try {
    return (await undiciFetch(url, {...(init as object), dispatcher: agent})) as unknown as Response
  } catch (error) {
    throw new ProxyFailure(shownProxy(proxy), error)
  }
}

/** A request that failed on its way through the proxy (refused, unreachable, or the proxy said no). */
export class ProxyFailure extends Error {
  constructor(readonly proxy: string, override readonly cause: unknown) {
    super(`through the proxy ${proxy}`)
  }
}
