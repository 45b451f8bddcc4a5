import {expect} from 'chai'
import {redactSecrets, toFailure} from '../../src/command/exit-codes.js'
import {MegaError} from '../../src/errors.js'

describe('session ids are cut out of anything shown or logged (exit-codes.ts redactSecrets)', function () {
  const SID = 'Q2FuIHlvdSByZWFkIHRoaXM_mg-XYZ'

  it('cuts sid, csid and tsid from URL queries, in any case, and keeps the rest of the text', function () {
    expect(redactSecrets(`POST http://127.0.0.1:4000/cs?id=7&sid=${SID}&v=3 failed`)).to.equal('POST http://127.0.0.1:4000/cs?id=7&sid=…&v=3 failed')
    expect(redactSecrets(`wsc?sn=AAAA&SID=${SID}`)).to.equal('wsc?sn=AAAA&SID=…')
    expect(redactSecrets(`cs?csid=${SID}&x=1 and sc?tsid=${SID})`)).to.equal('cs?csid=…&x=1 and sc?tsid=…)')
    expect(redactSecrets(`'https://g.api.mega.co.nz/cs?sid=${SID}'`)).to.equal(`'https://g.api.mega.co.nz/cs?sid=…'`)
  })

  it('leaves text without a session id alone, including words that merely contain "sid"', function () {
    for (const text of ['insider=1 outside the query', 'cs?id=3&v=3', 'sid=plain text, not a query parameter']) {
      expect(redactSecrets(text)).to.equal(text)
    }
  })

  it('an error naming a URL with a session id becomes a one-line message without it', function () {
    const failure = toFailure(new Error(`fetch failed:\n  http://127.0.0.1:4000/cs?id=3&sid=${SID} (ECONNRESET)`))
    expect(failure.exitCode).to.equal(59)
    expect(failure.message).to.not.include(SID)
    expect(failure.message).to.not.include('\n')
    expect(failure.message).to.include('sid=…')
    const apiFailure = toFailure(new MegaError(-9, `Not found (cs?sid=${SID})`))
    expect(apiFailure.exitCode).to.equal(9)
    expect(apiFailure.message).to.equal('Not found (cs?sid=…)')
  })
})
