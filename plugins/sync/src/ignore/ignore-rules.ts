import {InvalidFilterError, type NodeKind, parseFilterLine, type PatternFilter} from './ignore-filter.js'

const IGNORE_FILE_NAME = '.megaignore'
const UINT64_MAX = (1n << 64n) - 1n

/**
 * What the SDK writes for a sync without an ignore file, and as `.megaignore.default` (DefaultFilterChain::generate in
 * src/syncfilter.cpp with mPredefinedNameExclusions, called from Syncs::confirmOrCreateDefaultMegaignore and
 * enableSyncByBackupId_inThread in src/sync.cpp with setSyncIgnoreFileFlag false, so no `+sync:.megaignore` line).
 * UTF-8 BOM first; the SDK ends lines with CRLF on Windows only. MEGAcmd has no text of its own.
 */
export const DEFAULT_MEGAIGNORE: string = '\uFEFF' + [
  'Thumbs.db', 'desktop.ini', '~*', '.*', '*~.*', '*.crdownload', '*.sb-????????-??????', '*.tmp',
].map((name) => `-:${name}\n`).join('')

/**
 * The filters of a sync root's `.megaignore`. Only the root file is read; the SDK also honours one in any folder, with
 * the same semantics applied from that folder down.
 */
export class IgnoreRules {
  /** No ignore file: nothing excluded, and a `.megaignore` arriving from the cloud is synced (so it can be read). */
  static readonly NONE = new IgnoreRules([], 0n, UINT64_MAX, true)

  private constructor(
    private readonly filters: readonly PatternFilter[],
    /** SizeFilter::lower/upper: sizes in [lower, upper] are kept, or outside [upper, lower] when lower > upper. */
    private readonly lower: bigint,
    private readonly upper: bigint,
    /**
     * Whether the root `.megaignore` itself syncs: the last `±sync:.megaignore` line decides. The SDK keeps it local
     * unless `+sync:.megaignore` (mSyncThisMegaignore); we sync it unless `-sync:.megaignore`, so that the rules one
     * machine sets (`sync-ignore --add`) hold on every machine syncing the folder, as issue 12 asks.
     */
    readonly syncIgnoreFile: boolean,
  ) {}

  /**
   * FilterChain::load: the whole file or nothing, a bad line fails the load (the SDK then stalls the sync rather than
   * sync with half the rules). A leading BOM is skipped (readLines in src/utils.cpp); `\r`, `\n` and `\r\n` end lines.
   */
  static parse(text: string): IgnoreRules {
    const filters: PatternFilter[] = []
    let lower = 0n
    let upper = UINT64_MAX
    let syncIgnoreFile = true
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
    for (const [index, line] of lines.entries()) {
      let filter
      try {
        filter = parseFilterLine(line)
      } catch (error) {
        throw error instanceof InvalidFilterError ? new InvalidFilterError(line, error.reason, index + 1) : error
      }
      if (filter?.kind === 'pattern') filters.push(filter)
      else if (filter?.kind === 'sync-ignore-file') syncIgnoreFile = filter.sync
      else if (filter?.kind === 'size') {
        // Later lines overwrite a bound; equal bounds are refused as each line is added (add(text, SizeFilterPtr&)).
        if (filter.bound === 'larger') upper = filter.limit
        else lower = filter.limit
        if (lower === upper) throw new InvalidFilterError(line, 'the lower and upper size limits are equal', index + 1)
      }
    }
    return new IgnoreRules(filters, lower, upper, syncIgnoreFile)
  }

  /**
   * LocalNode::exclusionState in src/node.cpp, for `relativePath` (`/`-separated, NFC) under the sync root:
   * 1. an entry inside an excluded folder is excluded, whatever matches it ("Our children are excluded if we are");
   * 2. the root `.megaignore` file is synced unless `-sync:.megaignore` (the SDK: only with `+sync:`); others follow rule 1;
   * 3. a file outside the size limits is excluded, before any `+` filter can include it (calcExcluded by size first);
   * 4. otherwise the last matching filter wins (FilterChain::match walks the chain from the end), `N` filters only for
   *    entries directly in the root (inheritable() is false and calcExcluded passes inherited for deeper entries);
   * 5. an entry no filter matches is included.
   */
  excludes(relativePath: string, kind: NodeKind, size?: number): boolean {
    const parts = relativePath.normalize('NFC').split('/')
    const last = parts.length - 1
    for (let depth = 0; depth < last; depth++) {
      if (this.filtered(parts, depth, 'folder')) return true
    }
    if (kind === 'file' && parts[last] === IGNORE_FILE_NAME) return last === 0 && !this.syncIgnoreFile
    if (kind === 'file' && size !== undefined && this.outsideSizeLimits(size)) return true
    return this.filtered(parts, last, kind)
  }

  /** FilterChain::match on the entry at `parts[depth]`: the name for name filters, the path from the root for `p`. */
  private filtered(parts: readonly string[], depth: number, kind: NodeKind): boolean {
    const name = parts[depth]!
    const path = depth === 0 ? name : parts.slice(0, depth + 1).join('/')
    for (let i = this.filters.length - 1; i >= 0; i--) {
      const filter = this.filters[i]!
      if (filter.type === 'local-name' && depth > 0) continue
      if (filter.target !== 'all' && filter.target !== kind) continue
      if (filter.matches(filter.type === 'path' ? path : name)) return !filter.inclusion
    }
    return false
  }

  /** SizeFilter::match; a negative (unknown) size is kept, as calcExcluded(…, m_off_t size) does. */
  private outsideSizeLimits(size: number): boolean {
    if (size < 0) return false
    const bytes = BigInt(Math.floor(size))
    if (this.lower > this.upper) return bytes >= this.upper && bytes <= this.lower
    return bytes < this.lower || bytes > this.upper
  }
}
