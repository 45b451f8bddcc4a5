import {expect} from 'chai'
import {createCipheriv, randomBytes} from 'node:crypto'
import {isValidEmail} from '../../src/account/email.js'
import {withMasterKeyExported} from '../../src/account/password-reminder.js'
import {decodeSignupLink} from '../../src/account/signup-link.js'
import {b64encode} from '../../src/crypto/base64.js'
import {decodeTlv, decryptTlv, encodeTlv, encryptTlv} from '../../src/crypto/tlv.js'
import {MegaError} from '../../src/errors.js'
import {fixLengthString} from '../../src/format/fixed-width.js'

describe('account codecs', function () {
  it('validates emails like MEGAcmd isValidEmail', function () {
    for (const ok of ['a@b.c', 'bob@example.com', 'x.y@sub.example.org']) expect(isValidEmail(ok), ok).to.equal(true)
    for (const bad of ['', 'a@b', '@b.com', 'a@.com', 'a@b.', 'ab.com', 'a@bc']) expect(isValidEmail(bad), bad).to.equal(false)
  })

  it('reads email and name from a v2 confirmation link, in each link form', function () {
    const raw = Buffer.concat([Buffer.from('ConfirmCodeV2'), randomBytes(15), Buffer.from('bob@example.com\tBob Smith'), randomBytes(8)])
    const code = b64encode(raw)
    for (const link of [`https://mega.nz/#confirm${code}`, `https://mega.nz/confirm${code}`, `#confirm${code}`]) {
      expect(decodeSignupLink(link)).to.deep.equal({code, email: 'bob@example.com', name: 'Bob Smith'})
    }
    const v1 = b64encode(Buffer.concat([randomBytes(32), randomBytes(15), Buffer.from('a@b.c\tA B'), randomBytes(8)]))
    for (const bad of ['https://mega.nz/#confirm', `https://mega.nz/#confirm${v1}`, 'https://mega.nz/file/x#y', `#confirm${code.slice(0, 20)}`]) {
      expect(() => decodeSignupLink(bad), bad).to.throw(MegaError).with.property('code', -2)
    }
  })

  it('sets only the exported flag of ^!prd, like SDK mergePwdReminderData', function () {
    expect(withMasterKeyExported(null)).to.equal('0:0:1:0:0')
    expect(withMasterKeyExported('17:18:0:1:19')).to.equal('17:18:1:1:19')
    expect(withMasterKeyExported('17:18:1:1:19')).to.equal(null)
    expect(withMasterKeyExported('garbage')).to.equal('0:0:1:0:0')
    expect(withMasterKeyExported('x:18:0:0:y')).to.equal('0:18:1:0:0')
  })

  it('round-trips TLV records and their AES-GCM container; a wrong key gives null', function () {
    const records = {num: Buffer.from('1'), '': Buffer.from([0, 1, 2])}
    expect(decodeTlv(encodeTlv(records))).to.deep.equal(records)
    const key = randomBytes(16)
    const container = encryptTlv(key, records)
    expect(container[0]).to.equal(0x10)
    expect(decryptTlv(key, container)).to.deep.equal(records)
    expect(decryptTlv(randomBytes(16), container)).to.equal(null)
  })

  it('opens the legacy CCM containers (setting 0x02: 10-byte IV, 8-byte tag)', function () {
    const key = randomBytes(16)
    const iv = randomBytes(10)
    const cipher = createCipheriv('aes-128-ccm', key, iv, {authTagLength: 8})
    const plain = encodeTlv({k: Buffer.from('v')})
    cipher.setAAD(Buffer.alloc(0), {plaintextLength: plain.length})
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    const container = Buffer.concat([Buffer.from([0x02]), iv, body, cipher.getAuthTag()])
    expect(decryptTlv(key, container)).to.deep.equal({k: Buffer.from('v')})
  })

  it('pads and shortens like MEGAcmd getFixLengthString', function () {
    expect(fixLengthString('20.00 GB', 9, true)).to.equal(' 20.00 GB')
    expect(fixLengthString('ab', 5)).to.equal('ab   ')
    expect(fixLengthString('abcdefghijkl', 9)).to.equal('abc...jkl')
  })
})
