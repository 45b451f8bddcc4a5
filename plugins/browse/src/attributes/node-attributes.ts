import {MegaError, type MegaNode, type NodeAttributes} from '@mega-shell/core'

/**
 * A node's own attributes as MEGAcmd's `attr` sees them (megacmdexecuter.cpp "attr", SDK MegaNodePrivate):
 * custom attributes are stored in the node's encrypted attributes under their name prefixed with '_'; the only
 * official one `attr` knows is `s4`, stored as is.
 */
export const OFFICIAL_ATTRIBUTES = ['s4']

/** The longest custom attribute name, in UTF-8 bytes (SDK performRequest_setAttrNode). */
const MAX_NAME_BYTES = 7

export function isOfficial(name: string): boolean {
  return OFFICIAL_ATTRIBUTES.includes(name)
}

/**
 * The custom attributes, in the SDK's order (getCustomAttrNames walks a std::map keyed by nameid, the name's bytes
 * as a big-endian number): shorter names first, then by bytes.
 */
export function customAttributes(node: MegaNode): Array<[string, string]> {
  const entries = Object.entries(node.attrs).filter(([key]) => key.startsWith('_')).map(([key, value]): [string, string] => [key.slice(1), text(value)])
  return entries.sort(([a], [b]) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/** The official attributes that are set (not empty), as MEGAcmd lists them. */
export function officialAttributes(node: MegaNode): Array<[string, string]> {
  return OFFICIAL_ATTRIBUTES.map((name): [string, string] => [name, text(node.attrs[name])]).filter(([, value]) => value !== '')
}

/**
 * The node's attributes with one set (or removed: `value` null), as the SDK's setCustomNodeAttribute and setNodeS4
 * do: custom names are at most 7 bytes (else EARGS, which MEGAcmd reports as "Invalid argument"), custom names and
 * values are NFC-normalised (LocalPath::utf8_normalize), and an empty value removes the attribute
 * (AttrMap::applyUpdates).
 */
export function withAttribute(node: MegaNode, name: string, value: string | null, official: boolean): NodeAttributes {
  let key = name
  let stored = value ?? ''
  if (!official) {
    if (name === '' || Buffer.byteLength(name) > MAX_NAME_BYTES) throw new MegaError(-2)
    key = `_${name.normalize('NFC')}`
    stored = stored.normalize('NFC')
  }
  const {[key]: _previous, ...rest} = node.attrs
  return stored === '' ? rest : {...rest, [key]: stored}
}

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}
