import {expect} from 'chai'
import {UsageError} from '../../src/errors.js'
import {parseSizeConstraint, parseSizeText} from '../../src/format/size-constraint.js'
import {parseTimeConstraint} from '../../src/format/time-constraint.js'
import {timeAfter, parseTimeDelay} from '../../src/format/time-delay.js'

describe('find --size and --mtime constraints (MEGAcmd getMinAndMaxSize / getMinAndMaxTime)', function () {
  it('reads sizes as MEGAcmd textToSize: summed units B K M G T in any case, binary, T = 2^50', function () {
    expect(parseSizeText('1m12k3B')).to.equal(1048576 + 12 * 1024 + 3)
    expect(parseSizeText('2K')).to.equal(2048)
    expect(parseSizeText('1g')).to.equal(2 ** 30)
    expect(parseSizeText('1T')).to.equal(2 ** 50)
    expect(parseSizeText('')).to.equal(0)
    for (const bad of ['100', '1.5M', '1x', '3k2', 'k1']) expect(parseSizeText(bad), bad).to.equal(undefined)
  })

  it('takes +min, -max and both, and refuses the rest with "Invalid time <text>" (sic), exit 51', function () {
    expect(parseSizeConstraint('+1k')).to.deep.equal({minSize: 1024, maxSize: undefined})
    expect(parseSizeConstraint('-4M')).to.deep.equal({maxSize: 4 * 1048576, minSize: undefined})
    expect(parseSizeConstraint('+1k-4M')).to.deep.equal({minSize: 1024, maxSize: 4 * 1048576})
    expect(parseSizeConstraint('-4M+1k')).to.deep.equal({maxSize: 4 * 1048576, minSize: 1024})
    for (const bad of ['100', '1k', '+100', '+1k-4', '-1.5M', '']) {
      expect(() => parseSizeConstraint(bad), bad).to.throw(UsageError, `Invalid time ${bad}`)
    }
  })

  it('counts times back from now by the calendar: +X older than X (and not 0), -X newer than X (and before now)', function () {
    const now = new Date(2026, 2, 31, 12, 0, 0).getTime() / 1000
    const back = (delay: string) => timeAfter(now, parseTimeDelay(delay), -1)
    expect(parseTimeConstraint('+1m', now)).to.deep.equal({modifiedBefore: back('1m'), modifiedAfter: 0})
    expect(parseTimeConstraint('-3h', now)).to.deep.equal({modifiedAfter: now - 3 * 3600, modifiedBefore: now})
    expect(parseTimeConstraint('-3d+1h', now)).to.deep.equal({modifiedAfter: back('3d'), modifiedBefore: now - 3600})
    expect(parseTimeConstraint('+1h-3d', now)).to.deep.equal({modifiedBefore: now - 3600, modifiedAfter: back('3d')})
    // One month back from 31 March is "31 February": 3 March, as mktime normalises it.
    expect(new Date(back('1m') * 1000).getDate()).to.equal(3)
    for (const bad of ['5', '1d', '+5', '-1x', '+1d-', '']) {
      expect(() => parseTimeConstraint(bad, now), bad).to.throw(UsageError, `Invalid time ${bad}`)
    }
  })
})
