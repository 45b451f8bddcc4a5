import {type MegaNode} from './node.js'

// The SDK's collator (sdk src/utils.cpp createCollator): ICU, English, tertiary strength (case and accents
// count), numeric ordering ("file2" before "file10").
const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'variant'})

/**
 * The order in which MEGAcmd lists the children of a folder: the SDK's MegaApi::ORDER_DEFAULT_ASC
 * (megaapi_impl.cpp nodeComparatorDefaultASC), higher node types first (folders before files), then names in
 * natural order (naturalsorting_compare); names the collator finds equal ("a0" and "a00") fall back to their
 * UTF-8 bytes, as the SDK's StringPiece comparison does. `ls`, and the wildcard matches of every command,
 * follow it.
 */
export function compareSiblings(a: Pick<MegaNode, 'type' | 'name'>, b: Pick<MegaNode, 'type' | 'name'>): number {
  if (a.type !== b.type) return b.type - a.type
  return collator.compare(a.name, b.name) || Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))
}
