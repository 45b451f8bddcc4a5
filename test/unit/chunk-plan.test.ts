import {expect} from 'chai'

import {isMacChunkBoundary} from '../../src/crypto/file-mac.js'
import {planPieces} from '../../src/transfer/chunk-plan.js'

const MiB = 1048576

describe('piece plan (transfer/chunk-plan)', () => {
  it('covers only the chunks a resumed transfer still misses, each piece within one gap', () => {
    const size = 10 * MiB + 5
    // Chunks 0-2 (0 to 768 KiB) and 9 (5.5 to 6.5 MiB) are done.
    const done = new Set([0, 1, 2, 9])
    const pieces = planPieces(size, {connections: 1, maxPieceSize: 2 * MiB, done})
    const covered = new Set<number>()
    for (const piece of pieces) {
      for (let byte = piece.start; byte < piece.start + piece.length; byte += 65536) covered.add(byte)
      expect(piece.start < 5.5 * MiB && piece.start + piece.length > 5.5 * MiB, `piece ${piece.start}+${piece.length} crosses the done chunk`).to.equal(false)
    }
    expect(pieces[0].start).to.equal(768 * 1024)
    expect(pieces.reduce((sum, p) => sum + p.length, 0)).to.equal(size - 768 * 1024 - MiB)
    expect(pieces.map((p) => p.index)).to.deep.equal(pieces.map((_, i) => i))
    // Every chunk done: nothing left to plan.
    expect(planPieces(3 * MiB, {done: {has: () => true}})).to.deep.equal([])
  })

  it('makes one empty piece for an empty file and one piece for a small file', () => {
    expect(planPieces(0)).to.deep.equal([{index: 0, start: 0, length: 0}])
    expect(planPieces(1)).to.deep.equal([{index: 0, start: 0, length: 1}])
    expect(planPieces(900 * 1024, {connections: 8})).to.deep.equal([{index: 0, start: 0, length: 900 * 1024}])
  })

  for (const [size, options] of [
    [5 * MiB + 333, {connections: 3}],
    [256 * MiB, {}],
    [256 * MiB + 1, {connections: 4, maxPieceSize: 16 * MiB}],
    [40 * MiB + 7, {connections: 8, maxPieceSize: 4 * MiB}],
  ] as const) {
    it(`covers ${size} bytes with contiguous grid-aligned pieces within the limits ${JSON.stringify(options)}`, () => {
      const pieces = planPieces(size, options)
      const max = options.maxPieceSize ?? 8 * MiB
      let next = 0
      pieces.forEach((piece, index) => {
        expect(piece.index).to.equal(index)
        expect(piece.start).to.equal(next)
        expect(isMacChunkBoundary(piece.start)).to.equal(true)
        expect(piece.length).to.be.greaterThan(0).and.at.most(max)
        next += piece.length
      })
      expect(next).to.equal(size)
    })
  }

  it('spreads a mid-sized file over the connections', () => {
    expect(planPieces(12 * MiB, {connections: 4}).length).to.be.within(4, 6)
    expect(planPieces(12 * MiB, {connections: 1}).length).to.equal(2)
  })
})
