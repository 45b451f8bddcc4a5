import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {sizeToText} from '../../src/format/size-text.js'
import {formatTime} from '../../src/format/time-text.js'
import {parsePublicLink} from '../../src/operations/public-link.js'
import {safeLocalName, childPath} from '../../src/operations/local-names.js'
import {decodeSessionString, encodeSessionString} from '../../src/session/session-string.js'
import {b64encode} from '../../src/crypto/base64.js'
import {CommandError} from '../../src/errors.js'

describe('formatting and parsing helpers', function () {
  it('prints sizes like MEGAcmd sizeToText', function () {
    // Bytes take two columns, like the other units (equalizeUnitsLength, MEGAcmd's default); zero one more.
    expect(sizeToText(0)).to.equal('0.00   B')
    expect(sizeToText(5)).to.equal('5.00  B')
    expect(sizeToText(2048)).to.equal('2048.00  B')
    expect(sizeToText(0, true, false)).to.equal('0.00  B')
    expect(sizeToText(2048, true, false)).to.equal('2048.00 B')
    expect(sizeToText(1843200)).to.equal('1800.00 KB')
    expect(sizeToText(2621440)).to.equal('2.50 MB')
    expect(sizeToText(12345, false)).to.equal('12345')
  })

  it('prints the SHORT time format (%d%b%Y %T)', function () {
    expect(formatTime(0, 'SHORT')).to.match(/^\d{2}(Jan|Dec)19(70|69) \d{2}:\d{2}:\d{2}$/)
    expect(formatTime(1700000000, 'ISO6081')).to.match(/^2023-11-1[45]$/)
  })

  it('parses public links in all their forms', function () {
    const fileKey = b64encode(randomBytes(32))
    const folderKey = b64encode(randomBytes(16))
    expect(parsePublicLink(`https://mega.nz/file/AbCdEfGh#${fileKey}`)).to.include({type: 'file', handle: 'AbCdEfGh'})
    expect(parsePublicLink(`https://mega.nz/#!AbCdEfGh!${fileKey}`)).to.include({type: 'file', handle: 'AbCdEfGh'})
    expect(parsePublicLink(`https://mega.co.nz/#F!AbCdEfGh!${folderKey}`)).to.include({type: 'folder', handle: 'AbCdEfGh'})
    expect(parsePublicLink(`https://mega.nz/folder/AbCdEfGh#${folderKey}/file/XyZ12345`).node).to.deep.equal({type: 'file', handle: 'XyZ12345'})
    for (const bad of ['https://mega.nz/file/AbCdEfGh#short', 'https://example.com/file/AbCdEfGh#' + fileKey, 'not a link', `https://mega.nz/folder/AbCdEfGh#${fileKey}`]) {
      expect(() => parsePublicLink(bad), bad).to.throw(CommandError, /Invalid link/)
    }
  })

  it('keeps remote names from escaping the download folder', function () {
    expect(safeLocalName('../../etc/passwd')).to.equal('.._.._etc_passwd')
    expect(safeLocalName('..')).to.equal('_..')
    expect(safeLocalName('.')).to.equal('_.')
    expect(safeLocalName('a\\b')).to.equal('a_b')
    expect(childPath('/tmp/x', '..')).to.equal('/tmp/x/_..')
    expect(childPath('/tmp/x', '../y')).to.equal('/tmp/x/.._y')
  })

  it('round-trips session strings (SDK dumpsession layout)', function () {
    const masterKey = randomBytes(16)
    const sid = b64encode(randomBytes(43))
    const text = encodeSessionString(masterKey, sid)
    expect(text).to.have.length(79)
    const decoded = decodeSessionString(text)
    expect(decoded.masterKey.equals(masterKey)).to.equal(true)
    expect(decoded.sid).to.equal(sid)
    expect(() => decodeSessionString('abc')).to.throw(/Invalid session/)
  })
})
