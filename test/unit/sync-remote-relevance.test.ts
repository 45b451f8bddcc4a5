import {expect} from 'chai'
import {touchesSync} from '../../plugins/sync/src/remote/remote-relevance.js'
import type {MegaContext, TreeChange} from '@mega-shell/core'

/** A cache of a few nodes: root R holds the synced folder S (with file F) and another folder O. */
const parents: Record<string, string | null> = {R: null, S: 'R', F: 'S', O: 'R', X: 'O'}
const isWithin = (handle: string, ancestor: string): boolean => handle === ancestor || (parents[handle] != null && isWithin(parents[handle]!, ancestor))
const ctx = {nodes: {isWithin: (handle: string, ancestor: string) => handle in parents && isWithin(handle, ancestor)}} as unknown as MegaContext
const scope = {remoteHandle: 'S', hadHandle: (handle: string) => handle === 'GONE'}
const change = (...packets: object[]): TreeChange => ({reloaded: false, packets: packets as Array<{a: string}>})

describe('sync: which remote changes start a pass', function () {
  it('new nodes, attribute changes and deletions inside the synced folder do', function () {
    expect(touchesSync(ctx, change({a: 't', t: {f: [{h: 'N', p: 'S'}]}}), scope)).to.equal(true)
    expect(touchesSync(ctx, change({a: 't', t: {f: [{h: 'N', p: 'F'}]}}), scope)).to.equal(true)
    expect(touchesSync(ctx, change({a: 'u', n: 'F'}), scope)).to.equal(true)
    expect(touchesSync(ctx, change({a: 'd', n: 'GONE'}), scope)).to.equal(true)
    expect(touchesSync(ctx, change({a: 'd', n: 'S'}), scope)).to.equal(true)
    expect(touchesSync(ctx, {reloaded: true, packets: []}, scope)).to.equal(true)
  })

  it('changes elsewhere in the account, and packets of other kinds, do not', function () {
    expect(touchesSync(ctx, change({a: 't', t: {f: [{h: 'N', p: 'O'}]}}), scope)).to.equal(false)
    expect(touchesSync(ctx, change({a: 'u', n: 'X'}), scope)).to.equal(false)
    expect(touchesSync(ctx, change({a: 'd', n: 'UNKNOWN'}), scope)).to.equal(false)
    expect(touchesSync(ctx, change({a: 'c', u: []}, {a: 'fa', n: 'F'}), scope)).to.equal(false)
  })
})
