/**
 * Why src/crypto/crypto-slice.ts hands OpenSSL 32 KiB at a time: AES-128-CBC (output discarded, as for the MAC)
 * and AES-128-CTR (output copied into a reused buffer, as for transfers) over 256 MiB, by update() size. Each slice
 * size runs in a fresh process, because the allocator's state after one size skews the next.
 *
 *   node --import tsx bench/crypto-slice.ts
 */
import {execFileSync} from 'node:child_process'
import {createCipheriv, randomBytes} from 'node:crypto'
import {fileURLToPath} from 'node:url'

const TOTAL = 256 * 1048576
const PIECE = 8 * 1048576

if (process.argv[2]) {
  const slice = Number(process.argv[2])
  const key = randomBytes(16)
  const iv = randomBytes(16)
  const source = randomBytes(PIECE)
  const target = Buffer.allocUnsafeSlow(PIECE)
  const rate = (run: () => void): string => {
    run()
    const start = performance.now()
    run()
    return (TOTAL / 1e6 / ((performance.now() - start) / 1000)).toFixed(0)
  }
  const cbc = rate(() => {
    for (let piece = 0; piece < TOTAL / PIECE; piece++) {
      for (let chunk = 0; chunk < PIECE; chunk += 1048576) {
        const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false)
        for (let at = chunk; at < chunk + 1048576; at += slice) cipher.update(source.subarray(at, Math.min(at + slice, chunk + 1048576)))
      }
    }
  })
  const ctr = rate(() => {
    for (let piece = 0; piece < TOTAL / PIECE; piece++) {
      const cipher = createCipheriv('aes-128-ctr', key, iv)
      for (let at = 0; at < PIECE; at += slice) target.set(cipher.update(source.subarray(at, at + slice)), at)
    }
  })
  console.log(`${String(slice / 1024).padStart(4)} KiB: CBC ${cbc.padStart(5)} MB/s, CTR into buffer ${ctr.padStart(5)} MB/s`)
} else {
  for (const slice of [8192, 16384, 32768, 49152, 65536, 131072, 262144, 1048576]) {
    process.stdout.write(execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(slice)]))
  }
}
