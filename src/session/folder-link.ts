import {b64encode} from '../crypto/base64.js'
import {CommandError, ExitCode, MegaError, sdkErrorText} from '../errors.js'
import {parsePublicLink} from '../operations/public-link.js'

/**
 * A folder-link "login" (MEGAcmd `login <folder link>`, SDK MegaApi::loginToFolder): no account and no
 * session id; every `cs` request carries `&n=<public handle>` and node keys open with the link's key, the
 * share key of the exported folder (mega-api.md §4.2, §5.4; megajs File.fromURL, megatools
 * mega_session_open_exp_folder). Kept in the cache next to (never together with) an account session.
 */
export interface FolderLinkRecord {
  apiUrl: string
  /** Public handle of the exported folder (`&n=`). */
  handle: string
  /** The link's 16-byte folder key (b64). */
  key: string
  /** The link as given, for messages. */
  link: string
}

/** Parses a folder link (`…/folder/<ph>#<key>` or the legacy `#F!<ph>!<key>`) into the record to keep. */
export function folderLinkRecord(apiUrl: string, text: string): FolderLinkRecord {
  const link = parsePublicLink(text)
  if (link.type !== 'folder') throw new CommandError(`Not a folder link: ${text}`, ExitCode.INVALIDTYPE)
  return {apiUrl, handle: link.handle, key: b64encode(link.key), link: text}
}

/**
 * MEGAcmd reports a failed folder login as its fetch-nodes failure, "Failed to fetch nodes: <SDK text>"
 * (MegaCmdExecuter::actUponFetchNodes): -9 when the server knows no such link (removed or never made), -14
 * when the key does not decrypt the exported folder (SDK MegaClient::isValidFolderLink).
 */
export function folderLinkFailure(error: unknown): unknown {
  if (!(error instanceof MegaError)) return error
  const hint = error.code === -9 ? ' (the folder link was removed or never existed)' : error.code === -14 ? ' (the key in the link does not open the folder)' : ''
  return new MegaError(error.code, `Failed to fetch nodes: ${sdkErrorText(error.code)}${hint}`)
}

/** Commands that change the tree fail at once in a read-only folder link (MEGAcmd exit 56 NOTPERMITTED). */
export class ReadOnlyFolderLinkError extends CommandError {
  constructor() {
    super('Write not allowed: you are logged into a read-only folder link', ExitCode.NOTPERMITTED)
  }
}
