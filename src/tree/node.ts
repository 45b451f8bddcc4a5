import type {NodeAttributes} from '../crypto/attributes.js'

/** Node types (mega-api.md §4.1; SDK nodetype_t). */
export enum NodeType {
  FILE = 0,
  FOLDER = 1,
  ROOT = 2,
  /** "Inbox" in the protocol; the SDK now calls it the Vault ("My backups"). MEGAcmd path `//in`. */
  INBOX = 3,
  RUBBISH = 4,
}

/** A node of the account's tree as the cache holds it: decrypted, with its key. */
export interface MegaNode {
  handle: string
  parent: string | null
  type: NodeType
  /** Decrypted name; `[undecryptable]` when the key is missing. Roots carry fixed names. */
  name: string
  size: number
  /** Creation time on the server (unix seconds). */
  ts: number
  /** Modification time of the file's content, from its fingerprint attribute, when known. */
  mtime: number | null
  owner: string | null
  /** Full node key: 16 bytes for folders, 32 for files; null when it could not be decrypted. */
  key: Buffer | null
  attrs: NodeAttributes
  fa: string | null
  /** The node's public link, when it is exported. */
  link: NodeLink | null
}

/**
 * A public link of a node, as `f` lists it and `ph` packets announce it (mega-api.md §1.5, §6.1; SDK
 * MegaClient::procphelement, sc_ph). The link's key is not here: a file's is its node key, a folder's its share key.
 */
export interface NodeLink {
  /** Public handle (8 chars). */
  ph: string
  /** When the link was made (unix seconds); 0 when the server did not say. */
  created: number
  /** When it stops working (unix seconds); null for a permanent link. */
  expires: number | null
  /** The auth key of a writable folder link (MEGAcmd prints `AuthKey=` / `AuthToken=`); null when read-only. */
  authKey: string | null
}

/** A temporal link whose expiry has passed (SDK PublicLink::isExpired: ets < now). */
export function isLinkExpired(link: NodeLink, now = Math.floor(Date.now() / 1000)): boolean {
  return link.expires !== null && link.expires < now
}

export function isContainer(node: MegaNode): boolean {
  return node.type !== NodeType.FILE
}

export const ROOT_NAMES: Record<number, string> = {
  [NodeType.ROOT]: 'Cloud Drive',
  [NodeType.INBOX]: 'Vault',
  [NodeType.RUBBISH]: 'Rubbish Bin',
}
