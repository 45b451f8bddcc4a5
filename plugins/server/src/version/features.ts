import {createRequire} from 'node:module'
import type {Config} from '@oclif/core'

const require = createRequire(import.meta.url)

/**
 * What `version -l` lists under "Features enabled:", as MEGAcmd lists its build options (`* CryptoPP`, `* SQLite`,
 * `* PCRE`, `* sync subsystem`, …: MEGAcmd src/megacmdexecuter.cpp "version"). Ours depend on what is installed:
 * optional modules are named when they resolve, and a subsystem when a plugin brings its command (sync, backup and
 * webdav come from plugins of their own).
 */
export function enabledFeatures(config: Config): string[] {
  const features = [`node:crypto (OpenSSL ${process.versions.openssl})`]
  const sqlite = installedVersion('better-sqlite3')
  features.push(sqlite ? `SQLite (better-sqlite3 ${sqlite})` : 'SQLite')
  features.push('JavaScript regular expressions (--use-pcre)')
  const sharp = installedVersion('sharp')
  if (sharp) features.push(`thumbnails and previews (sharp ${sharp})`)
  features.push('background server and mega-<cmd> thin clients')
  for (const [command, feature] of [['sync', 'sync subsystem'], ['backup', 'backups'], ['webdav', 'WebDAV server']] as const) {
    if (config.findCommand(command)) features.push(feature)
  }
  return features
}

function installedVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as {version?: string}).version
  } catch {
    return undefined
  }
}
