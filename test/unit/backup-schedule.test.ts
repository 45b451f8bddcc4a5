import {expect} from 'chai'
import type {MegaNode} from '@mega-shell/core'
import {exceeding, type Instance} from '../../plugins/backup/src/engine/retention.js'
import {instanceName, instanceTime} from '../../plugins/backup/src/schedule/instance-name.js'
import {nextSlot, parsePeriod, periodText} from '../../plugins/backup/src/schedule/period.js'
import {dueSlots} from '../../plugins/backup/src/schedule/slots.js'

const T0 = Date.UTC(2026, 11, 2, 4, 0, 0)

describe('backup periods, slots, run names and retention', function () {
  it('reads MEGAcmd\'s periods: 6-field cron in UTC, or a TIMEDELAY as a fixed number of seconds', function () {
    expect(parsePeriod('0 0 4 * * *')).to.deep.equal({kind: 'cron', expression: '0 0 4 * * *'})
    expect(parsePeriod('2h30M')).to.deep.equal({kind: 'delay', seconds: 9000})
    expect(periodText(parsePeriod('2h30M'))).to.equal('2h30M')
    expect(periodText(parsePeriod('1d'))).to.equal('1d')
    expect(nextSlot(parsePeriod('0 0 4 * * *'), T0)).to.equal(T0 + 86_400_000)
    expect(nextSlot(parsePeriod('0 30 4 * * 1'), T0), 'Mondays 04:30 (2 December 2026 is a Wednesday)').to.equal(Date.UTC(2026, 11, 7, 4, 30, 0))
    expect(nextSlot(parsePeriod('10s'), T0)).to.equal(T0 + 10_000)
    for (const bad of ['0 0 4 * *', '* * *', '61 * * * * *', '5x', '0s', '', '1d 2h']) expect(() => parsePeriod(bad), bad).to.throw(/Invalid period/)
  })

  it('names runs <folder>_bk_<local time> and reads the time back only from exactly that form', function () {
    const name = instanceName('docs', T0)
    expect(name).to.match(/^docs_bk_\d{14}$/)
    expect(instanceTime('docs', name)).to.equal(T0)
    expect(instanceTime('doc', name), 'another folder\'s prefix').to.equal(undefined)
    expect(instanceTime('docs', `${name}x`)).to.equal(undefined)
    expect(instanceTime('docs', 'docs_bk_2026')).to.equal(undefined)
  })

  it('finds the slots that came: the newest few only, and the one to wait for', function () {
    const every10s = parsePeriod('10s')
    expect(dueSlots(every10s, T0 + 5000, T0, 3)).to.deep.equal({recent: [], following: T0 + 5000})
    expect(dueSlots(every10s, T0, T0 + 25_000, 5)).to.deep.equal({recent: [T0, T0 + 10_000, T0 + 20_000], following: T0 + 30_000})
    // A year of one-second slots missed: only the newest two are returned, without walking them all.
    const yearLater = T0 + 365 * 86_400_000
    expect(dueSlots(parsePeriod('1s'), T0, yearLater, 2)).to.deep.equal({recent: [yearLater - 1000, yearLater], following: yearLater + 1000})
    const daily = parsePeriod('0 0 4 * * *')
    expect(dueSlots(daily, T0, T0 + 2.5 * 86_400_000, 10)).to.deep.equal({recent: [T0, T0 + 86_400_000, T0 + 2 * 86_400_000], following: T0 + 3 * 86_400_000})
    expect(dueSlots(daily, T0 - 5000, T0 + 1000, 10).recent, 'the first slot of a new backup is not one of the expression\'s').to.deep.equal([T0 - 5000, T0])
  })

  it('keeps the newest N runs but never deletes the last COMPLETE one (SDK removeexceeding)', function () {
    const run = (time: number, state: Instance['state']): Instance => ({node: {handle: `h${time}`} as MegaNode, time, state})
    const names = (list: Instance[]) => list.map((i) => i.node.handle)
    expect(names(exceeding([run(1, 'COMPLETE'), run(2, 'COMPLETE'), run(3, 'COMPLETE')], 2))).to.deep.equal(['h1'])
    expect(names(exceeding([run(1, 'COMPLETE'), run(2, 'SKIPPED'), run(3, 'ABORTED')], 2)), 'the only COMPLETE one stays').to.deep.equal(['h2'])
    expect(names(exceeding([run(1, 'COMPLETE'), run(2, 'SKIPPED'), run(3, 'ABORTED')], 1))).to.deep.equal(['h2', 'h3'])
    expect(names(exceeding([run(1, 'INCOMPLETE'), run(2, 'COMPLETE'), run(3, 'MISCARRIED')], 1))).to.deep.equal(['h1', 'h3'])
    expect(names(exceeding([run(1, 'SKIPPED'), run(2, 'SKIPPED')], 3))).to.deep.equal([])
  })
})
