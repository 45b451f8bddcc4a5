import {expect} from 'chai'

import {ResponseParser, type ResponseHead} from '../../src/transfer/http-response-parser.js'

function parse(parts: string[], bodyless = false): {head?: ResponseHead; body: string; done: boolean; keepAlive: boolean} {
  let head: ResponseHead | undefined
  const body: Buffer[] = []
  const parser = new ResponseParser({head: (h) => void (head = h), data: (chunk) => void body.push(Buffer.from(chunk))}, bodyless)
  for (const part of parts) parser.feed(Buffer.from(part, 'latin1'))
  return {head, body: Buffer.concat(body).toString('latin1'), done: parser.done, keepAlive: parser.keepAlive}
}

/** Every way of cutting `text` in two, to check that state carries over between reads. */
function splits(text: string): string[][] {
  return Array.from({length: text.length + 1}, (_, i) => [text.slice(0, i), text.slice(i)])
}

describe('HTTP/1.1 response parser (transfer/http-response-parser)', () => {
  it('reads a Content-Length body split anywhere', () => {
    const reply = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Mega: a\r\nx-mega: b\r\n\r\nhello'
    for (const parts of splits(reply)) {
      const result = parse(parts)
      expect(result.head!.status).to.equal(200)
      expect(result.head!.headers.get('x-mega')).to.equal('a, b')
      expect(result.body).to.equal('hello')
      expect(result.done && result.keepAlive).to.equal(true)
    }
  })

  it('reads a chunked body with extensions and trailers split anywhere', () => {
    const reply = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: 1\r\n\r\n'
    for (const parts of splits(reply)) {
      const result = parse(parts)
      expect(result.body).to.equal('abc0123456789abcdef')
      expect(result.done).to.equal(true)
    }
  })

  it('skips 1xx interim replies, and knows bodyless replies', () => {
    expect(parse(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok']).body).to.equal('ok')
    expect(parse(['HTTP/1.1 204 No Content\r\n\r\n']).done).to.equal(true)
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'], true).done).to.equal(true)
  })

  it('reads a body delimited by the end of the connection, which cannot be reused', () => {
    const body: Buffer[] = []
    const parser = new ResponseParser({head: () => undefined, data: (c) => void body.push(Buffer.from(c))})
    parser.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\nsome'))
    parser.feed(Buffer.from(' data'))
    expect(parser.done).to.equal(false)
    parser.end()
    expect(parser.done).to.equal(true)
    expect(parser.keepAlive).to.equal(false)
    expect(Buffer.concat(body).toString()).to.equal('some data')
  })

  it('honours Connection: close', () => {
    expect(parse(['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n']).keepAlive).to.equal(false)
  })

  it('rejects malformed or truncated replies', () => {
    expect(() => parse(['HTTP/2 200\r\n\r\n'])).to.throw(/status line/)
    expect(() => parse(['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'])).to.throw(/Content-Length/)
    expect(() => parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).to.throw(/chunk size/)
    expect(() => parse(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab'])).to.throw(/after the HTTP reply/)
    const parser = new ResponseParser({head: () => undefined, data: () => undefined})
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))
    expect(() => parser.end()).to.throw(/closed before/)
  })
})
