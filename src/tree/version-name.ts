import type {MegaNode} from './node.js'

/** A file's modification time as MEGAcmd names versions with it (`name#<mtime>`, ls --versions). */
export function fileTime(node: MegaNode): number {
  return node.mtime ?? node.ts
}

/** A path component that names one version of a file: `name#<mtime>`. */
export interface VersionName {
  name: string
  mtime: number
}

/**
 * `name#1234567890` read as MEGAcmd's nodeNameIsVersion does (megacmdutils.cpp): longer than 12 characters, a
 * `#` 11 from the end, then exactly 10 digits. Anything else is an ordinary name (a `#` in a name stays literal).
 */
export function parseVersionName(component: string): VersionName | undefined {
  const match = /^(.+)#(\d{10})$/.exec(component)
  if (!match || component.length <= 12) return undefined
  return {name: match[1], mtime: Number(match[2])}
}
