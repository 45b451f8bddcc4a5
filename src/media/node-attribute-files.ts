import {randomBytes} from 'node:crypto'
import {rename, stat, unlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {foldKey} from '../crypto/node-key.js'
import {MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import {attributeJpeg, NotAnImageError} from './attribute-images.js'
import {fetchAttribute, putAttribute} from './attribute-transfer.js'
import type {FileAttributeType} from './attribute-types.js'
import {attributeHandle, faEntry} from './fa-string.js'

const ENOENT = -9
const EARGS = -2
const EKEY = -14
const EWRITE = -20
const EREAD = -21

/**
 * Where `thumbnail`/`preview` save: the given file, or, for a folder, `<node handle><type>.jpg` inside it, the
 * SDK's name (megaapi_impl.cpp `MegaApiImpl::getNodeAttribute` appends `getBase64Handle() + ('0' + type) +
 * ".jpg"` to a path ending in a separator).
 */
export async function attributeFileName(node: MegaNode, type: FileAttributeType, destination: string): Promise<string> {
  const isFolder = /[/\\]$/.test(destination) || (await stat(destination).catch(() => undefined))?.isDirectory()
  return isFolder ? join(destination, `${node.handle}${type}.jpg`) : destination
}

/**
 * Downloads a node's thumbnail or preview to `file`, with the SDK's errors (MegaApiImpl::getNodeAttribute,
 * MegaClient::getfa, fa_complete): ENOENT when the node has no such attribute (folders have none), EWRITE when
 * the file cannot be written. The bytes go to a temporary name beside it first: a failure leaves nothing.
 */
export async function saveNodeAttribute(ctx: MegaContext, node: MegaNode, type: FileAttributeType, file: string, signal?: AbortSignal): Promise<void> {
  const handle = attributeHandle(node.fa, type)
  if (!handle) throw new MegaError(ENOENT)
  if (!node.key) throw new MegaError(EKEY)
  const data = await fetchAttribute(ctx.api, foldKey(node.key), handle, signal)
  const temporary = `${file}.${randomBytes(4).toString('hex')}.part`
  try {
    await writeFile(temporary, data, {flag: 'wx'})
    await rename(temporary, file)
  } catch {
    await unlink(temporary).catch(() => undefined)
    throw new MegaError(EWRITE)
  }
}

/**
 * Makes a local image a node's thumbnail or preview: stored with `ufa` + POST under the file's key, then
 * attached with `pfa` (the SDK's setThumbnail/setPreview: performRequest_setAttrFile → putfa →
 * CommandPutFA, CommandAttachFA). EREAD when the local file cannot be read (or is no image), EARGS for a
 * folder (attributes belong to files), EKEY when the node's key is unknown. Returns the node as changed.
 */
export async function setNodeAttribute(ctx: MegaContext, node: MegaNode, type: FileAttributeType, localPath: string, signal?: AbortSignal): Promise<MegaNode> {
  if (node.type !== NodeType.FILE) throw new MegaError(EARGS)
  if (!node.key) throw new MegaError(EKEY)
  let jpeg: Buffer
  try {
    jpeg = await attributeJpeg(localPath)
  } catch (error) {
    if (error instanceof NotAnImageError) throw new MegaError(EREAD)
    if ((error as NodeJS.ErrnoException)?.code) throw new MegaError(EREAD)
    throw error
  }
  const handle = await putAttribute(ctx.api, foldKey(node.key), jpeg, node.handle, signal)
  const fa = await ctx.api.request<string>({a: 'pfa', n: node.handle, fa: faEntry(type, handle)})
  const changed = {...node, fa}
  await ctx.recordChange(() => ctx.nodes.upsert(changed), signal)
  return changed
}
