import {expect} from 'chai'
import {parseTimeDelay, timeAfter} from '../../src/format/time-delay.js'
import {UsageError} from '../../src/errors.js'

describe('TIMEDELAY (export --expire, find --mtime, backup --period)', function () {
  it('reads every unit, in any order and repeated', function () {
    expect(parseTimeDelay('1m12d3h')).to.deep.equal({years: 0, months: 1, days: 12, hours: 3, minutes: 0, seconds: 0})
    expect(parseTimeDelay('10M')).to.include({minutes: 10})
    expect(parseTimeDelay('2y30s1h1h')).to.include({years: 2, seconds: 30, hours: 2})
  })

  it('refuses what is not a TIMEDELAY with a usage error (51)', function () {
    for (const bad of ['', '10', '1d2', 'x', '1w', '-1d', '1 d', 'd']) {
      expect(() => parseTimeDelay(bad), bad).to.throw(UsageError, /Invalid time delay/)
    }
  })

  it('adds by the calendar in local time, as mktime normalises a struct tm', function () {
    const jan31 = new Date(2026, 0, 31, 12, 0, 0).getTime() / 1000
    expect(new Date(timeAfter(jan31, parseTimeDelay('1m')) * 1000).getMonth()).to.equal(2)
    expect(timeAfter(jan31, parseTimeDelay('1d2h3M4s')) - jan31).to.equal(86400 + 7200 + 180 + 4)
    expect(timeAfter(jan31, parseTimeDelay('1h'), -1)).to.equal(jan31 - 3600)
  })
})
