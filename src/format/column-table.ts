import {fixLengthString} from './fixed-width.js'

export interface ColumnTableOptions {
  /** The width to fill (MEGAcmd: the client's terminal, 75 columns without one). */
  width: number
  /** `--path-display-size`: the least width of each shrinkable column. */
  minShrinkableWidth?: number
  /** `--col-separator`: values joined by it, unpadded, instead of aligned columns. */
  separator?: string
  /** `--output-cols`: the columns to print, in this order (unknown names are left out). */
  columns?: string[]
}

/**
 * MEGAcmd's ColumnDisplayer (megacmdcommonutils.cpp; used by `transfers`, `sync`, `sync-issues`): a header line,
 * then one line per row, cells left-aligned and padded (the last one too), one space apart. Fixed columns are as
 * wide as their widest value or header; shrinkable ones (paths) share what is left of `width`, each at least
 * `minShrinkableWidth`, and longer values are cut in the middle with "...".
 */
export class ColumnTable {
  private readonly rows: Array<Record<string, string>> = []

  constructor(private readonly headers: ReadonlyArray<{name: string; shrinkable?: boolean}>) {}

  add(row: Record<string, string>): void {
    this.rows.push(row)
  }

  render(options: ColumnTableOptions): string {
    const shown = options.columns ? options.columns.map((name) => this.headers.find((h) => h.name === name)).filter((h) => h !== undefined) : [...this.headers]
    const valueOf = (row: Record<string, string>, name: string): string => row[name] ?? ''
    if (options.separator !== undefined) {
      return [shown.map((h) => h.name), ...this.rows.map((row) => shown.map((h) => valueOf(row, h.name)))].map((cells) => cells.join(options.separator) + '\n').join('')
    }
    const longest = (name: string): number => Math.max(name.length, ...this.rows.map((row) => [...valueOf(row, name)].length))
    const fixed = shown.filter((h) => !h.shrinkable)
    const shrinkable = shown.filter((h) => h.shrinkable)
    const fixedWidth = fixed.reduce((sum, h) => sum + longest(h.name), 0) + shown.length - 1
    const share = shrinkable.length > 0 ? Math.floor((options.width - fixedWidth) / shrinkable.length) : 0
    const widths = new Map(shown.map((h) => [h.name, h.shrinkable ? Math.max(h.name.length, Math.min(longest(h.name), Math.max(options.minShrinkableWidth ?? 0, share))) : longest(h.name)]))
    const line = (cells: (name: string) => string): string => shown.map((h) => fixLengthString(cells(h.name), widths.get(h.name)!)).join(' ') + '\n'
    return line((name) => name) + this.rows.map((row) => line((name) => valueOf(row, name))).join('')
  }
}
