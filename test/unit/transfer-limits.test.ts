import {expect} from 'chai'
import {RateLimiter} from '../../src/transfer/rate-limit.js'
import {ColumnTable} from '../../src/format/column-table.js'

describe('speed limit schedule (transfer/rate-limit)', function () {
  it('holds requests to the limit after the first, and lets everything through at 0', async function () {
    let limit = 4 * 1048576
    const limiter = new RateLimiter('download', () => limit)
    const started = performance.now()
    // Five 512 KiB requests at 4 MiB/s: the first goes at once, the other four take 0.5 s.
    for (let i = 0; i < 5; i++) await limiter.take(524288)
    const elapsed = performance.now() - started
    expect(elapsed).to.be.at.least(480)
    limit = 0
    const free = performance.now()
    for (let i = 0; i < 100; i++) await limiter.take(1048576 * 100)
    expect(performance.now() - free).to.be.below(50)
  })

  it('stops waiting when the transfer is aborted', async function () {
    const limiter = new RateLimiter('upload', () => 1024)
    await limiter.take(1024 * 1024)
    const controller = new AbortController()
    const waiting = limiter.take(1024, controller.signal)
    controller.abort(new Error('stop'))
    await waiting.then(() => expect.fail('resolved'), (error: Error) => expect(error.name).to.equal('AbortError'))
  })
})

describe('MEGAcmd column table (format/column-table)', function () {
  it('pads every cell, shares the width between the shrinkable columns and cuts them in the middle', function () {
    const table = new ColumnTable([{name: 'TAG'}, {name: 'PATH', shrinkable: true}, {name: 'STATE'}])
    table.add({TAG: '7', PATH: '/a/very/long/path/to/some/file.bin', STATE: 'ACTIVE'})
    expect(table.render({width: 30})).to.equal('TAG PATH                STATE \n7   /a/very/...file.bin ACTIVE\n')
    expect(table.render({width: 30, separator: ','})).to.equal('TAG,PATH,STATE\n7,/a/very/long/path/to/some/file.bin,ACTIVE\n')
    expect(table.render({width: 30, columns: ['STATE', 'TAG']})).to.equal('STATE  TAG\nACTIVE 7  \n')
  })
})
