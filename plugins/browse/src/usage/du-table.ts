import {fixLengthString, sizeToText} from '@mega-shell/core'

/** One row of `du`: the path as shown and the bytes of the files below it. */
export interface UsageRow {
  path: string
  bytes: number
}

/**
 * The lines of `du` as MEGAcmd prints them (megacmdexecuter.cpp "du"): a header `FILENAME` (padded to the path
 * column) and `SIZE` (right-aligned in 12), a row `<path>:` + size per node, then, once every path is done, a
 * dashed line and `Total storage used:` + the total. Paths longer than the column are shortened in the middle
 * with "...". Sizes are bytes, or with -h MEGAcmd's human sizes.
 */
export class DuTable {
  constructor(private readonly pathWidth: number, private readonly human: boolean) {}

  header(): string {
    return fixLengthString('FILENAME', this.pathWidth) + fixLengthString('SIZE', 12, true)
  }

  row({path, bytes}: UsageRow): string {
    return fixLengthString(`${path}:`, this.pathWidth) + this.size(bytes)
  }

  footer(total: number): string[] {
    return ['-'.repeat(this.pathWidth + 12), fixLengthString('Total storage used:', this.pathWidth) + this.size(total)]
  }

  private size(bytes: number): string {
    return fixLengthString(sizeToText(bytes, this.human), 12, true)
  }
}
