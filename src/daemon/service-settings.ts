import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {JsonValue} from './protocol.cjs'
import type {ServiceSettings} from './services.js'

/**
 * A service's settings: one JSON object in `<home>/services/<name>.json` (owner-only), rewritten whole through a
 * temporary file and a rename, so a crash leaves either the old settings or the new ones. Kept apart from the
 * cache, which is rebuilt when damaged: a sync's configuration must outlive that.
 */
export class FileServiceSettings implements ServiceSettings {
  private readonly file: string
  private values: Record<string, JsonValue>

  constructor(home: string, service: string) {
    const dir = join(home, 'services')
    mkdirSync(dir, {recursive: true, mode: 0o700})
    this.file = join(dir, `${service}.json`)
    this.values = readObject(this.file)
  }

  get<T extends JsonValue>(key: string): T | undefined {
    return this.values[key] as T | undefined
  }

  set(key: string, value: JsonValue | undefined): void {
    const next = {...this.values}
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
