import type {FileAttributeType} from './attribute-types.js'

/**
 * A node's `fa` string lists its file attributes as `[<cluster>:]<type>*<b64 8-byte handle>`, joined by `/`,
 * e.g. `924:0*AbCdEfGhIjK/924:1*LmNoPqRsTuV` (mega-api.md §4.8). The SDK finds the attribute by its
 * `:<type>*` or leading `<type>*` (meganz/sdk src/megaclient.cpp `MegaClient::getfa`, Node::hasfileattribute)
 * and reads the 11 base64 characters that follow.
 */
export function attributeHandle(fa: string | null | undefined, type: FileAttributeType): string | undefined {
  for (const entry of (fa ?? '').split('/')) {
    const match = /^(?:\d+:)?(\d+)\*([A-Za-z0-9_-]{11})$/.exec(entry)
    if (match && Number(match[1]) === type) return match[2]
  }
  return undefined
}

/** One entry as a client sends it, in `p` (`fa` of a new node) or `pfa`: `<type>*<b64 handle>`. */
export function faEntry(type: FileAttributeType, handle: string): string {
  return `${type}*${handle}`
}
