import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {JsonObjectFile} from '../config/json-object-file.js'
import type {ServiceSettings} from './services.js'

/**
 * A service's settings: one JSON object in `<home>/services/<name>.json` (config/json-object-file.ts). Kept apart
 * from the cache, which is rebuilt when damaged: a sync's configuration must outlive that.
 */
export class FileServiceSettings extends JsonObjectFile implements ServiceSettings {
  constructor(home: string, service: string) {
    const dir = join(home, 'services')
    mkdirSync(dir, {recursive: true, mode: 0o700})
    super(join(dir, `${service}.json`))
  }
}
