import {utimes} from 'node:fs/promises'
import {dirname} from 'node:path'
import {decryptAttributes, type NodeAttributes} from '../crypto/attributes.js'
import {foldKey} from '../crypto/node-key.js'
import {CommandError} from '../errors.js'
import {ApiClient} from '../api/client.js'
import {mtimeFromFingerprint} from '../tree/node-decoder.js'
import {removeStalePartials} from '../transfer/partial-files.js'
import type {TransferProgress} from '../transfer/progress.js'
import {transferEngine} from './transfer-engine.js'
import {requestDownload} from './download.js'
import {type PublicLink, publicLinkUrl} from './public-link.js'

/** What a public file link opens to: the file's name, size, attributes and key, and a download URL. */
export interface PublicFileInfo {
  name: string
  size: number
  url: string
  /** The file's 32-byte key (the link's). */
  key: Buffer
  attrs: NodeAttributes
}

/** The link's key does not decrypt its file's attributes: MEGAcmd's "Key not valid <link>" (then EKEY, 14). */
export class LinkKeyError extends CommandError {
  constructor(link: PublicLink) {
    super(`Key not valid ${publicLinkUrl(link)}`, 14)
  }
}

/**
 * A public file link needs no session: `g` with `p` = the public handle gives the URL, size and encrypted
 * attributes, which the key in the link opens (mega-api.md §5.3, §5.4; megajs File.loadAttributes; SDK
 * CommandGetPH). The server's refusals stay MegaErrors (-9 no such link, -8 expired) for the command to word,
 * as MEGAcmd's "Failed to get public node: <error>" (get) or "Failed to cat public node: <error>" (cat).
 * `cat` of a link reads the file with this and the transfer engine, as `get` does.
 */
export async function openPublicFile(apiUrl: string, link: PublicLink): Promise<PublicFileInfo> {
  if (link.type !== 'file') throw new CommandError('Public link is not a file', 51)
  const reply = await requestDownload(new ApiClient({apiUrl}), {p: link.handle})
  const attrs = reply.at ? decryptAttributes(foldKey(link.key), reply.at) : null
  if (!attrs || typeof attrs.n !== 'string') throw new LinkKeyError(link)
  return {name: attrs.n, size: reply.size, url: reply.url, key: link.key, attrs}
}

export async function downloadPublicFile(info: PublicFileInfo, destination: string, options: {connections?: number; signal?: AbortSignal; onProgress?: (p: TransferProgress) => void} = {}): Promise<void> {
  await removeStalePartials(dirname(destination))
  const {downloadData} = await transferEngine()
  await downloadData({url: info.url, size: info.size, fileKey: info.key, destination, connections: options.connections, signal: options.signal, onProgress: options.onProgress})
  // The file's own modification time, as for any download (download.ts).
  const mtime = mtimeFromFingerprint(info.attrs)
  if (mtime) await utimes(destination, mtime, mtime).catch(() => undefined)
}
