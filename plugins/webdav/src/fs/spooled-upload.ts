import {randomBytes} from 'node:crypto'
import {createWriteStream, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import type {Readable} from 'node:stream'
import {type MegaContext, type MegaNode, uploadFile} from '@mega-shell/core'

/**
 * A request body as a MEGA file: streamed to a private temporary file (never held in memory, whatever its size), then
 * uploaded by the transfer engine into `parent` as `name`. A file of that name there becomes the new file's version
 * (the engine's `ov`, as the SDK's upload). The temporary file is removed whatever happens.
 */
export async function uploadBody(ctx: MegaContext, spoolDir: string, body: Readable | Buffer, parent: MegaNode, name: string): Promise<MegaNode> {
  mkdirSync(spoolDir, {recursive: true, mode: 0o700})
  const spool = join(spoolDir, `put-${randomBytes(8).toString('hex')}`)
  try {
    if (Buffer.isBuffer(body)) writeFileSync(spool, body, {mode: 0o600})
    else await pipeline(body, createWriteStream(spool, {mode: 0o600}))
    return await uploadFile(ctx, spool, parent, name)
  } finally {
    rmSync(spool, {force: true})
  }
}
