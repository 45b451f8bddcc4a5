import {expect} from 'chai'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {ApiClient} from '../../src/api/client.js'
import {MegaError} from '../../src/errors.js'
import {loginWithPassword} from '../../src/session/login.js'
import {localServerForSuite} from '../helpers/local-server.js'

/** Forwards every request to the real local server, counting `cs` requests and the commands they carry. */
function countingProxy(target: string): Promise<{url: string; batches: number[]; server: Server}> {
  const batches: number[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    if (req.url!.startsWith('/cs')) batches.push((JSON.parse(body.toString()) as unknown[]).length)
    const reply = await fetch(new URL(req.url!.slice(1), target), {method: req.method, body: body.length ? body : undefined, headers: {'Content-Type': 'application/json'}})
    res.writeHead(reply.status, {'Content-Type': reply.headers.get('content-type') ?? 'application/json'})
    res.end(Buffer.from(await reply.arrayBuffer()))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, batches, server})
  }))
}

describe('API client batching', function () {
  const server = localServerForSuite([{email: 'frank@example.com', password: 'frank pw'}])

  it('sends commands issued together in one cs request, each settling with its own reply', async function () {
    const proxy = await countingProxy(server().url)
    try {
      const api = new ApiClient({apiUrl: proxy.url})
      await loginWithPassword(api, 'frank@example.com', 'frank pw')
      proxy.batches.length = 0
      const results = await Promise.allSettled([
        api.request({a: 'uq', strg: 1}),
        api.request({a: 'ug'}),
        api.request({a: 'm', n: 'nonexist', t: 'nonexist'}),
      ])
      expect(proxy.batches).to.deep.equal([3])
      expect(results[0].status).to.equal('fulfilled')
      expect(results[1].status).to.equal('fulfilled')
      expect(results[2].status).to.equal('rejected')
      expect(((results[2] as PromiseRejectedResult).reason as MegaError).code).to.be.below(0)
      // `f` and login commands always travel alone, as the SDK sends them.
      proxy.batches.length = 0
      await Promise.all([api.request({a: 'f', c: 1}), api.request({a: 'ug'})])
      expect(proxy.batches.sort()).to.deep.equal([1, 1])
    } finally {
      proxy.server.close()
    }
  })
})
