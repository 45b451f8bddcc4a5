import {downloadPublicFile, failedTo, LinkKeyError, openPublicFile, type PublicFileInfo, type PublicLink, UsageError} from '@mega-shell/core'

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
  let info: PublicFileInfo
  try {
    info = await openPublicFile(apiUrl, link)
  } catch (error) {
    if (error instanceof LinkKeyError) throw new UsageError(`Key not valid ${text}`)
    throw failedTo('cat public node', error)
  }
  return {url: info.url, size: info.size, download: (path, signal) => downloadPublicFile(info, path, {signal})}
}
