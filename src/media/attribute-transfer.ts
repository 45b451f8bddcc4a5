import type {ApiClient} from '../api/client.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {MegaError} from '../errors.js'
import {transferEngine} from '../operations/transfer-engine.js'
import {decryptAttribute, encryptAttribute} from './attribute-crypto.js'
import {transferSsl} from '../transfer/transfer-ssl.js'

/** Thumbnails are ~10 KB and previews ~100 KB; a storage server answering megabytes is not one. */
const MAX_REPLY = 32 * 1024 * 1024

/**
 * Stores an attribute on the server: `ufa` with the padded size gives a URL, the ciphertext is POSTed to it
 * and the reply is the attribute's 8-byte handle (meganz/sdk src/commands.cpp `CommandPutFA` and
 * src/megaclient.cpp `putfa`/HttpReqFA: POST to the URL as given; megajs appends `/0` or `/1`, which servers
 * accept too). `n` names the node it is for, when it exists already (the SDK's `h` of `ufa`).
 * Returns the handle in base64, for `fa` in `p` or `pfa`.
 */
export async function putAttribute(api: ApiClient, aesKey: Uint8Array, data: Uint8Array, n?: string, signal?: AbortSignal): Promise<string> {
  const ciphertext = encryptAttribute(aesKey, data)
  const {p: url} = await api.request<{p: string}>({a: 'ufa', s: ciphertext.length, ssl: transferSsl(), ...(n ? {h: n} : {})})
  const reply = await post(url, [ciphertext], signal)
  if (reply.length !== 8) throw replyError(reply, 'an attribute handle')
  return b64encode(reply)
}

/**
 * Fetches and decrypts one attribute: `ufa` with `fah` (and `r:1`) gives a URL, the 8-byte handle is POSTed to
 * it and the reply frames each attribute as handle ‖ uint32 LE length ‖ ciphertext (meganz/sdk
 * src/commands.cpp `CommandGetFA`, src/fileattributefetch.cpp `FileAttributeFetchChannel::parse`). The
 * plaintext keeps its zero padding, as the SDK delivers it.
 */
export async function fetchAttribute(api: ApiClient, aesKey: Uint8Array, handle: string, signal?: AbortSignal): Promise<Buffer> {
  const {p: url} = await api.request<{p: string}>({a: 'ufa', fah: handle, ssl: transferSsl(), r: 1})
  const wanted = b64decode(handle)
  const reply = await post(url, [wanted], signal)
  for (let at = 0; at + 12 <= reply.length;) {
    const length = reply.readUInt32LE(at + 8)
    const data = reply.subarray(at + 12, at + 12 + length)
    if (data.length !== length) break
    // The SDK drops an attribute whose length is not a whole number of AES blocks.
    if (reply.subarray(at, at + 8).equals(wanted) && length % 16 === 0) return decryptAttribute(aesKey, data)
    at += 12 + length
  }
  throw replyError(reply, 'the attribute')
}

/** A reply without what was asked: the server's error number if it sent one (`-N` as text), else ENOENT. */
function replyError(reply: Buffer, what: string): MegaError {
  const text = reply.length < 12 ? reply.toString('latin1').trim() : ''
  if (/^-\d+$/.test(text)) return new MegaError(Number(text))
  return new MegaError(-9, `the storage server did not return ${what}`)
}

async function post(url: string, body: Buffer[], signal?: AbortSignal): Promise<Buffer> {
  const {httpExchange} = await transferEngine()
  const chunks: Buffer[] = []
  let size = 0
  let status = 0
  await httpExchange(new URL(url), {method: 'POST', body, signal}, {
    head: (head) => void (status = head.status),
    data: (chunk) => {
      size += chunk.length
      if (size > MAX_REPLY) throw new MegaError(-1, `the storage server's reply is larger than ${MAX_REPLY} bytes`)
      chunks.push(Buffer.from(chunk))
    },
  })
  if (status !== 200) throw new MegaError(-1, `the storage server answered HTTP ${status}`)
  return Buffer.concat(chunks, size)
}
