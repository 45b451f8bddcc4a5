import {fixLengthString, sizeToText} from '@mega-shell/core'

/** One row of `du`: the path as shown and the bytes of the files below it (with --versions, and of their versions). */
export interface UsageRow {
  path: string
  bytes: number
  withVersions?: number
}

/**
 * The lines of `du` as MEGAcmd prints them (megacmdexecuter.cpp "du"): a header `FILENAME` (padded to the path
 * column) and `SIZE` (right-aligned in 12), a row `<path>:` + size per node, then, once every path is done, a
 * dashed line and `Total storage used:` + the total. Paths longer than the column are shortened in the middle
 * with "...". Sizes are bytes, or with -h MEGAcmd's human sizes. With --versions a second size column, `S.WITH VERS`,
 * adds the files' older versions (MEGAcmd 2.5.2, observed).
 */
export class DuTable {
  constructor(private readonly pathWidth: number, private readonly human: boolean, private readonly versions = false) {}

  header(): string {
    return fixLengthString('FILENAME', this.pathWidth) + fixLengthString('SIZE', 12, true) + (this.versions ? fixLengthString('S.WITH VERS', 12, true) : '')
  }

  row({path, bytes, withVersions}: UsageRow): string {
    return fixLengthString(`${path}:`, this.pathWidth) + this.size(bytes) + (this.versions ? this.size(withVersions ?? bytes) : '')
  }

  footer(total: number, totalWithVersions = total): string[] {
    return ['-'.repeat(this.pathWidth + (this.versions ? 24 : 12)),
      fixLengthString('Total storage used:', this.pathWidth) + this.size(total) + (this.versions ? this.size(totalWithVersions) : '')]
  }

  private size(bytes: number): string {
    return fixLengthString(sizeToText(bytes, this.human), 12, true)
  }
}
