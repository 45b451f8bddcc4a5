import {ApiCode, fail} from './api-error.js'

/**
 * Reading fields of a `cs` command object. Clients differ in types (megatools prints numbers where megajs
 * sends strings and the reverse), and unknown fields must be tolerated (mega-api.md §7.3), so every reader
 * is lenient about representation and strict only about what the command needs.
 */
export type ApiCommand = Record<string, unknown>

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function optString(cmd: ApiCommand, key: string): string | undefined {
  const value = cmd[key]
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return undefined
}

export function reqString(cmd: ApiCommand, key: string): string {
  const value = optString(cmd, key)
  if (value === undefined || value === '') fail(ApiCode.EARGS, `missing ${key}`)
  return value
}

/** A number, or a string holding one (e.g. `"r":"1"`); undefined otherwise. */
export function optNumber(cmd: ApiCommand, key: string): number | undefined {
  const value = cmd[key]
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}

export function reqNumber(cmd: ApiCommand, key: string): number {
  const value = optNumber(cmd, key)
  if (value === undefined) fail(ApiCode.EARGS, `missing ${key}`)
  return value
}

/** Flags such as `d:1`, `g:1`: any truthy number or non-empty string other than "0". */
export function flag(cmd: ApiCommand, key: string): boolean {
  const value = cmd[key]
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return value !== '' && value !== '0'
  return value === true
}

export function optArray(cmd: ApiCommand, key: string): unknown[] | undefined {
  const value = cmd[key]
  return Array.isArray(value) ? value : undefined
}

export function isB64(text: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(text)
}

/** Decodes MEGA base64, accepting the standard alphabet and padding too (as megatools and go-mega do). */
export function b64ToBuffer(text: string): Buffer {
  return Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url')
}
