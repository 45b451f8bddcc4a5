/**
 * Throughput of the transfer data path (src/transfer: uploadData / downloadData) against a tiny loopback transfer
 * server running in a child process (test/unit/support/loopback-blob-server.ts, in-memory storage), so that the client's
 * event loop is measured alone while both share the machine's cores, as with the real local server.
 *
 *   node --import tsx bench/transfer-data.ts [--size-mib 256] [--runs 5] [--connections 4] [--piece-mib 8]
 *                                            [--crypto native|workers|main-thread] [--upload-only]
 *
 * Prints MB/s (10^6 bytes per second, wall clock) per run, the median and the best, and the CPU seconds used by the
 * client (all its threads) and by the server process. On a shared 2-core machine the spread between runs is large;
 * compare medians, and CPU seconds per run as the stable figure.
 */
import {fork, type ChildProcess} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {fileURLToPath} from 'node:url'

import {closeTransferEngine, downloadData, uploadData, type CryptoPlace} from '../src/transfer/index.js'
import {LoopbackBlobServer} from '../test/unit/support/loopback-blob-server.js'

type Request = {id: number; op: 'create'; size: number} | {id: number; op: 'cpu'}
type Reply = {id: number; uploadUrl: string; downloadUrl: string; cpuSeconds: number}

if (process.argv[2] === 'server') {
  const server = await new LoopbackBlobServer().listen()
  process.on('message', (message: Request) => {
    const cpu = cpuSeconds(process.cpuUsage())
    if (message.op === 'cpu') return void process.send!({id: message.id, uploadUrl: '', downloadUrl: '', cpuSeconds: cpu} satisfies Reply)
    const {uploadUrl, downloadUrl} = server.createUpload(message.size)
    process.send!({id: message.id, uploadUrl, downloadUrl, cpuSeconds: cpu} satisfies Reply)
  })
  process.on('disconnect', () => void server.close().then(() => process.exit(0)))
  process.send!('ready')
} else {
  await main()
}

async function main(): Promise<void> {
  const {values} = parseArgs({options: {
    'size-mib': {type: 'string', default: '256'},
    runs: {type: 'string', default: '5'},
    connections: {type: 'string'},
    'piece-mib': {type: 'string'},
    crypto: {type: 'string'},
    'upload-only': {type: 'boolean', default: false},
  }})
  const size = Number(values['size-mib']) * 1048576
  const runs = Number(values.runs)
  const connections = values.connections ? Number(values.connections) : undefined
  const maxPieceSize = values['piece-mib'] ? Number(values['piece-mib']) * 1048576 : undefined
  const crypto = values.crypto as CryptoPlace | undefined

  const dir = await mkdtemp(join(tmpdir(), 'mega-bench-'))
  const source = join(dir, 'source.bin')
  await writeFile(source, randomBytes(size))
  const sourceHash = await sha256(source)
  const child = fork(fileURLToPath(import.meta.url), ['server'], {execArgv: ['--import', 'tsx']})
  await new Promise((resolve) => child.once('message', resolve))
  const call = rpc(child)
  const create = (size: number): Promise<Reply> => call({op: 'create', size})
  const serverCpu = async (): Promise<number> => (await call({op: 'cpu'})).cpuSeconds

  console.log(`file ${size / 1048576} MiB, connections ${connections ?? 'default'}, piece ${maxPieceSize ? maxPieceSize / 1048576 + ' MiB' : 'default'}, crypto ${values.crypto ?? 'default'}`)
  const up: number[] = []
  const down: number[] = []
  try {
    for (let run = 1; run <= runs; run++) {
      const {uploadUrl, downloadUrl} = await create(size)
      let server0 = await serverCpu()
      let cpu = process.cpuUsage()
      let t0 = performance.now()
      const {fileKey} = await uploadData({url: uploadUrl, source, size, connections, maxPieceSize, crypto})
      const upSeconds = (performance.now() - t0) / 1000
      const upCpu = cpuSeconds(process.cpuUsage(cpu))
      const upServer = (await serverCpu()) - server0

      up.push(size / 1e6 / upSeconds)
      if (values['upload-only']) {
        console.log(`run ${run}: upload ${up.at(-1)!.toFixed(0)} MB/s (${upSeconds.toFixed(2)} s; CPU client ${upCpu.toFixed(2)} s, server ${upServer.toFixed(2)} s)`)
        continue
      }
      const destination = join(dir, `copy-${run}.bin`)
      server0 = await serverCpu()
      cpu = process.cpuUsage()
      t0 = performance.now()
      await downloadData({url: downloadUrl, size, fileKey, destination, connections, maxPieceSize, crypto})
      const downSeconds = (performance.now() - t0) / 1000
      const downCpu = cpuSeconds(process.cpuUsage(cpu))
      const downServer = (await serverCpu()) - server0
      if ((await sha256(destination)) !== sourceHash) throw new Error('downloaded file differs from the source')
      await rm(destination)

      down.push(size / 1e6 / downSeconds)
      console.log(`run ${run}: upload ${up.at(-1)!.toFixed(0)} MB/s (${upSeconds.toFixed(2)} s; CPU client ${upCpu.toFixed(2)} s, server ${upServer.toFixed(2)} s), ` +
        `download+verify ${down.at(-1)!.toFixed(0)} MB/s (${downSeconds.toFixed(2)} s; CPU client ${downCpu.toFixed(2)} s, server ${downServer.toFixed(2)} s)`)
    }
    console.log(`median: upload ${median(up).toFixed(0)} MB/s, download+verify ${down.length ? median(down).toFixed(0) : '-'} MB/s`)
    console.log(`best:   upload ${Math.max(...up).toFixed(0)} MB/s, download+verify ${down.length ? Math.max(...down).toFixed(0) : '-'} MB/s`)
  } finally {
    await closeTransferEngine()
    child.disconnect()
    await rm(dir, {recursive: true, force: true})
  }
}

type Call = {op: 'create'; size: number} | {op: 'cpu'}

function rpc(child: ChildProcess): (call: Call) => Promise<Reply> {
  let nextId = 0
  return (call) => new Promise((resolve) => {
    const id = nextId++
    const onMessage = (reply: Reply): void => {
      if (reply.id !== id) return
      child.off('message', onMessage)
      resolve(reply)
    }
    child.on('message', onMessage)
    child.send({id, ...call} satisfies Request)
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
