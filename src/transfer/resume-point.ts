/**
 * What an interrupted transfer of one file leaves for the next attempt, so that it continues where it stopped
 * rather than from byte 0 (the SDK keeps the same in its transfer cache: the upload URL, the file key and the chunk
 * MACs of the chunks confirmed, meganz/sdk src/transfer.cpp Transfer::serialize / chunkmacs). The background
 * server's transfer queue keeps it in SQLite (store/transfer-queue.ts); a foreground command keeps none.
 */
export interface SavedTransfer {
  /** Upload: the URL the earlier attempt got from `u` (an upload URL takes its chunks in any order, at any time). */
  url?: string
  /** Upload: the file's AES key and nonce, which the chunks already sent were encrypted with. */
  aesKey?: Buffer
  nonce?: Buffer
  /** Download: the partial file holding the chunks already written. */
  partial?: string
  /** The chunks confirmed (uploaded and acknowledged, or written to the partial file), by MAC chunk index. */
  chunks: Map<number, Buffer>
}

/** One file's resume point. */
export interface FileResume {
  /** What an earlier attempt saved, when the file is still the same (same size and modification time). */
  load(): SavedTransfer | undefined
  /** A new attempt starts from nothing: what it must find again (its URL and key, or its partial file). */
  begin(start: Omit<SavedTransfer, 'chunks'>): void
  /** Chunks from `first` on are confirmed; `macs` holds their 16-byte MACs, in order. */
  chunksDone(first: number, macs: Buffer): void
  /** The file is done, or its resume point is useless: forget it. */
  clear(): void
}

/** Resume points by file: `key` names the file within its transfer, `identity` says whether it is still the same one. */
export interface ResumeBook {
  file(key: string, identity: string): FileResume
}
