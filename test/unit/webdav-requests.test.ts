import {expect} from 'chai'
import {hrefOf} from '../../plugins/webdav/src/handlers/dav-target.js'
import {parseRange} from '../../plugins/webdav/src/handlers/get.js'

describe('webdav request parts: byte ranges and hrefs', function () {
  it('reads one bytes= range within the size (RFC 9110 §14.1.2); past the end is unsatisfiable', function () {
    expect(parseRange(undefined, 100)).to.equal(undefined)
    expect(parseRange('bytes=0-9', 100)).to.deep.equal([0, 9])
    expect(parseRange('bytes=90-', 100)).to.deep.equal([90, 99])
    expect(parseRange('bytes=90-500', 100)).to.deep.equal([90, 99])
    expect(parseRange('bytes=-10', 100)).to.deep.equal([90, 99])
    expect(parseRange('bytes=-500', 100)).to.deep.equal([0, 99])
    expect(parseRange('bytes=100-', 100)).to.equal('unsatisfiable')
    expect(parseRange('bytes=0-', 0)).to.equal('unsatisfiable')
    expect(parseRange('bytes=-0', 100)).to.equal('unsatisfiable')
    expect(parseRange('bytes=0-1,5-6', 100), 'several ranges: the whole file').to.equal(undefined)
    expect(parseRange('items=0-1', 100)).to.equal(undefined)
    expect(parseRange('bytes=9-3', 100)).to.equal(undefined)
  })

  it('percent-encodes every name of an href, so # ? % + and unicode survive', function () {
    expect(hrefOf('/H', ['dav', 'a #1?.txt'], false)).to.equal('/H/dav/a%20%231%3F.txt')
    expect(hrefOf('/H', ['dav', '50%+é'], true)).to.equal('/H/dav/50%25%2B%C3%A9/')
  })
})
