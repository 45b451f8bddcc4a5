import {expect} from 'chai'

import {ReplySplitter} from '../../src/api/reply-splitter.js'

/** Feeds `text` to a splitter of `keys` in pieces of `sizes` bytes (repeated); returns the skeleton and the items. */
function split(text: string, keys: string[], sizes: number[]): {skeleton: unknown; items: Record<string, unknown[]>; batches: number} {
  const items: Record<string, unknown[]> = {}
  let batches = 0
  const splitter = new ReplySplitter({keys: new Set(keys), onItems: (key, batch) => {
    batches++
    ;(items[key] ??= []).push(...batch)
  }})
  const bytes = Buffer.from(text)
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]
    splitter.write(bytes.subarray(at, at + size))
    at += size
  }
  return {skeleton: splitter.end(), items, batches}
}

describe('cs reply splitter (api/reply-splitter)', () => {
  // Strings holding the structure's own characters, escapes, multi-byte UTF-8 cut anywhere.
  const nodes = Array.from({length: 300}, (_, i) => ({h: `h${i}`, a: `q"\\,]}[{:${i}`, n: 'é✓𝄞', s: i}))
  const reply = [{f: nodes, f2: [{h: 'v', t: 0}], ok: [{h: 'a', k: '[,]'}], s: [], sn: 'f"'}, 0, {f: [1, 2]}]

  for (const [label, sizes, indent] of [['one byte at a time', [1], 0], ['uneven pieces', [7, 3, 1, 50], 2], ['whole', [1 << 20], 0]] as const) {
    it(`hands over the chosen arrays of the first reply and parses the rest (${label})`, () => {
      const {skeleton, items} = split(JSON.stringify(reply, null, indent), ['f', 'f2'], [...sizes])
      expect(items.f).to.deep.equal(nodes)
      expect(items.f2).to.deep.equal([{h: 'v', t: 0}])
      // The later command's `f` is not the first reply's: it stays in the skeleton.
      expect(skeleton).to.deep.equal([{f: [], f2: [], ok: [{h: 'a', k: '[,]'}], s: [], sn: 'f"'}, 0, {f: [1, 2]}])
    })
  }

  it('hands over in batches as the reply arrives, not all at the end', () => {
    const {batches} = split(JSON.stringify(reply), ['f'], [512])
    expect(batches).to.be.greaterThan(10)
  })

  it('leaves a bare error number and empty arrays alone, and refuses a cut-off reply', () => {
    expect(split('-3', ['f'], [1]).skeleton).to.equal(-3)
    expect(split('[{"f":[],"sn":"x"}]', ['f'], [2])).to.deep.equal({skeleton: [{f: [], sn: 'x'}], items: {}, batches: 0})
    expect(() => split('[{"f":[{"h":"a"},', ['f'], [4])).to.throw(SyntaxError)
  })
})
