/**
 * Reads a `cs` reply as it arrives and hands over the elements of chosen arrays of the first command's reply in
 * batches, without ever holding those arrays whole: the `f` of a million-node account is ~200 MB of JSON, which
 * `response.json()` turned into one string and then a million objects, well over a gigabyte. Everything else of
 * the reply (the "skeleton", with the split arrays left empty) is parsed at the end as usual.
 *
 * The official SDK reads `f` the same way: its JSONSplitter (meganz/sdk src/json.cpp, used by
 * CommandFetchNodes through MegaClient's streaming `cs` reply handling) calls a filter for each `{[f{` element as
 * the bytes arrive, so no client holds the whole reply of a large account.
 *
 * Only the reply's structure is tracked here (nesting depth, strings and their escapes, the key in front of an
 * array of the first reply object); each batch of elements is parsed with JSON.parse, so the values are exactly
 * what `response.json()` would have given.
 */
export interface ReplySplit {
  /** Keys of the first command's reply object whose arrays are handed over element by element. */
  keys: ReadonlySet<string>
  /** Called with each batch of elements, in order, before more of the reply is read. */
  onItems: (key: string, items: unknown[]) => void
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const COMMA = 0x2c
// Depths: 1 inside the reply array, 2 inside the first command's reply object, 3 inside one of its arrays.
const REPLY_OBJECT_DEPTH = 2
const SPLIT_DEPTH = 3
// A key longer than this is no split key: its text need not be kept.
const MAX_KEY_BYTES = 32

export class ReplySplitter {
  private depth = 0
  private inString = false
  private escaped = false
  /** Index of the element of the reply array being read (only the first one is split). */
  private element = 0
  /** The last string closed at the reply object's depth (a key, when followed by ':'), while it is short. */
  private lastString = ''
  private stringBytes: number[] | null = null
  /** The key whose array is being split, or null. */
  private splitting: string | null = null
  private readonly skeleton: Buffer[] = []
  /** Bytes of the split array's elements not handed over yet (the last one may be incomplete). */
  private pending: Buffer[] = []
  /** How many of the pending buffers end with whole elements (what precedes the last comma seen). */
  private pendingComplete = 0

  constructor(private readonly split: ReplySplit) {}

  write(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    // Start of the bytes of this chunk that belong to the skeleton, or to the split array's elements.
    let from = 0
    for (let i = 0; i < buf.length; i++) {
      const byte = buf[i]
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (byte === BACKSLASH) this.escaped = true
        else if (byte === QUOTE) {
          this.inString = false
          if (this.stringBytes) {
            this.lastString = String.fromCharCode(...this.stringBytes)
            this.stringBytes = null
          }
          continue
        }
        if (this.stringBytes) {
          if (this.stringBytes.length < MAX_KEY_BYTES) this.stringBytes.push(byte)
          else this.stringBytes = null
        }
        continue
      }
      switch (byte) {
        case QUOTE:
          this.inString = true
          this.stringBytes = this.depth === REPLY_OBJECT_DEPTH && this.splitting === null ? [] : null
          break
        case OPEN_ARRAY:
        case OPEN_OBJECT:
          this.depth++
          if (byte === OPEN_ARRAY && this.depth === SPLIT_DEPTH && this.element === 0 && this.split.keys.has(this.lastString)) {
            this.skeleton.push(Buffer.from(buf.subarray(from, i + 1)))
            this.splitting = this.lastString
            from = i + 1
          }
          break
        case CLOSE_ARRAY:
        case CLOSE_OBJECT:
          if (this.splitting !== null && this.depth === SPLIT_DEPTH) {
            this.pending.push(buf.subarray(from, i))
            this.handOver()
            this.splitting = null
            from = i
          }
          this.depth--
          break
        case COMMA:
          if (this.depth === 1) this.element++
          else if (this.splitting !== null && this.depth === SPLIT_DEPTH) {
            // An element ended: everything before this comma is whole elements. Handed over once per chunk.
            this.pending.push(buf.subarray(from, i))
            from = i
            this.pendingComplete = this.pending.length
          }
          break
      }
    }
    const rest = buf.subarray(from)
    if (this.splitting === null) {
      this.skeleton.push(Buffer.from(rest))
    } else {
      this.handOverComplete()
      this.pending.push(Buffer.from(rest))
    }
  }

  /** The reply, its split arrays empty. */
  end(): unknown {
    if (this.splitting !== null || this.inString || this.depth !== 0) throw new SyntaxError('the reply ended early')
    return JSON.parse(Buffer.concat(this.skeleton).toString('utf8'))
  }

  private handOverComplete(): void {
    if (this.pendingComplete === 0) return
    const complete = this.pending.slice(0, this.pendingComplete)
    this.pending = this.pending.slice(this.pendingComplete)
    this.pendingComplete = 0
    this.parse(complete)
  }

  private handOver(): void {
    const all = this.pending
    this.pending = []
    this.pendingComplete = 0
    this.parse(all)
  }

  /** Parses buffers holding whole elements, possibly with commas between them and at the start. */
  private parse(buffers: Buffer[]): void {
    let text = Buffer.concat(buffers).toString('utf8').trim()
    if (text.startsWith(',')) text = text.slice(1)
    if (text.trim() === '') return
    this.split.onItems(this.splitting!, JSON.parse(`[${text}]`) as unknown[])
  }
}
