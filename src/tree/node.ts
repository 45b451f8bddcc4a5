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
  /** Public handle when the node is exported as a link. */
  link: string | null
}

export function isContainer(node: MegaNode): boolean {
  return node.type !== NodeType.FILE
}

export const ROOT_NAMES: Record<number, string> = {
  [NodeType.ROOT]: 'Cloud Drive',
  [NodeType.INBOX]: 'Vault',
  [NodeType.RUBBISH]: 'Rubbish Bin',
}
