import {readFileSync} from 'node:fs'
import {join} from 'node:path'

/** Written next to the compiled daemon by `npm run build` (scripts/build-stamp.js). */
export const BUILD_STAMP_FILE = 'build-stamp.json'

let cached: string | undefined

/**
 * The identity of the installed build, exchanged in the protocol's HELLO: a server started by another build
 * (an upgrade, a rebuild in a checkout) runs other code, so a client replaces it. Every `npm run build` writes a
 * new stamp; without one (compiled by hand) the identity is the package version.
 */
export function buildId(): string {
  if (cached) return cached
  try {
    cached = String((JSON.parse(readFileSync(join(__dirname, BUILD_STAMP_FILE), 'utf8')) as {build: unknown}).build)
  } catch {
    cached = `${(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {version: string}).version}-unstamped`
  }
  return cached
}
