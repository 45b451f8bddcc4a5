import {ApiClient, decryptAttributes, downloadPublicFile, failedTo, foldKey, type PublicLink, requestDownload, UsageError} from '@mega-shell/core'

/** A public file link ready to stream. */
export interface OpenedLink {
  url: string
  size: number
  download(path: string, signal?: AbortSignal): Promise<void>
}

/**
 * Opens a public file link for `cat` without a login (mega-api.md §5.3: `g` with `p`), with MEGAcmd's messages
 * (megacmdexecuter.cpp "cat"): a folder link is "Public link is not a file" (51), an API error "Failed to cat public
 * node: <error>" with its code, a key that does not open the file's attributes "Key not valid <link>" (51).
 */
export async function openLinkForCat(apiUrl: string, link: PublicLink, text: string): Promise<OpenedLink> {
  if (link.type !== 'file') throw new UsageError('Public link is not a file')
  let reply
  try {
    reply = await requestDownload(new ApiClient({apiUrl}), {p: link.handle})
  } catch (error) {
    throw failedTo('cat public node', error)
  }
  if (!reply.at || !decryptAttributes(foldKey(link.key), reply.at)) throw new UsageError(`Key not valid ${text}`)
  const {url, size} = reply
  return {url, size, download: (path, signal) => downloadPublicFile({name: '', size, url}, link, path, {signal})}
}
