import {dirname} from 'node:path'
import {decryptAttributes} from '../crypto/attributes.js'
import {foldKey} from '../crypto/node-key.js'
import {CommandError, ExitCode, MegaError} from '../errors.js'
import {ApiClient} from '../api/client.js'
import {removeStalePartials} from '../transfer/partial-files.js'
import type {TransferProgress} from '../transfer/progress.js'
import {transferEngine} from './transfer-engine.js'
import {requestDownload} from './download.js'
import type {PublicLink} from './public-link.js'

export interface PublicFileInfo {
  name: string
  size: number
  url: string
}

/**
 * A public file link needs no session: `g` with `p` = the public handle gives the URL, size and encrypted
 * attributes, which the key in the link opens (mega-api.md §5.3, §5.4; megajs File.loadAttributes).
 */
export async function openPublicFile(apiUrl: string, link: PublicLink): Promise<PublicFileInfo> {
  const api = new ApiClient({apiUrl})
  let reply
  try {
    reply = await requestDownload(api, {p: link.handle})
  } catch (error) {
    if (error instanceof MegaError && (error.code === -9 || error.code === -2)) throw new CommandError('Couldn\'t find the file of this link (removed or never existed)', ExitCode.NOTFOUND)
    throw error
  }
  const attrs = reply.at ? decryptAttributes(foldKey(link.key), reply.at) : null
  if (!attrs || typeof attrs.n !== 'string') throw new CommandError('Invalid link: its key does not open the file', 14)
  return {name: attrs.n, size: reply.size, url: reply.url}
}

export async function downloadPublicFile(info: PublicFileInfo, link: PublicLink, destination: string, options: {connections?: number; signal?: AbortSignal; onProgress?: (p: TransferProgress) => void} = {}): Promise<void> {
  await removeStalePartials(dirname(destination))
  const {downloadData} = await transferEngine()
  await downloadData({url: info.url, size: info.size, fileKey: link.key, destination, connections: options.connections, signal: options.signal, onProgress: options.onProgress})
}
