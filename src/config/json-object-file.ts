import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import type {JsonValue} from '../daemon/protocol.cjs'

/**
 * One JSON object in a file (owner-only), rewritten whole through a temporary file and a rename, so a crash leaves
 * either the old values or the new ones. Read when opened; a write reads the file again first and changes only its
 * key, so it keeps what other processes wrote meanwhile (the server's `log` levels beside a command's `https`).
 */
export class JsonObjectFile {
  private values: Record<string, JsonValue>

  constructor(readonly file: string) {
    this.values = readObject(file)
  }

  get<T extends JsonValue>(key: string): T | undefined {
    return this.values[key] as T | undefined
  }

  set(key: string, value: JsonValue | undefined): void {
    const next = readObject(this.file)
    if (value === undefined) delete next[key]
    else next[key] = value
    const temporary = `${this.file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(next, null, 2) + '\n', {mode: 0o600})
    renameSync(temporary, this.file)
    this.values = next
  }

  all(): Record<string, JsonValue> {
    return {...this.values}
  }
}

function readObject(file: string): Record<string, JsonValue> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {}
  }
  const value = JSON.parse(text) as unknown
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file} does not hold a JSON object`)
  return value as Record<string, JsonValue>
}
