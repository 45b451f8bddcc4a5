import {ColumnTable, fixLengthString, PENDING_STATES, sizeToText, terminalWidth, type TransferRecord} from '@mega-shell/core'

export interface TransferTableOptions {
  limit: number
  showCompleted: boolean
  onlyCompleted: boolean
  summary: boolean
  pathDisplaySize?: number
  separator?: string
  columns?: string[]
}

/**
 * `transfers` as MEGAcmd prints it (megacmdexecuter.cpp "transfers", printTransferColumnDisplayer): finished
 * transfers first (with --show-completed), then downloads up to half the limit, then uploads, then the rest of the
 * downloads; " ...  Showing first N transfers ..." above the table when there are more. No transfer at all is one
 * empty line, as there.
 */
export function transferTable(transfers: TransferRecord[], options: TransferTableOptions): string {
  if (options.summary) return summary(transfers)
  const finished = transfers.filter((t) => !PENDING_STATES.includes(t.state))
  const downloads = transfers.filter((t) => PENDING_STATES.includes(t.state) && t.direction === 'download')
  const uploads = transfers.filter((t) => PENDING_STATES.includes(t.state) && t.direction === 'upload')
  const candidates = options.onlyCompleted ? finished : [...(options.showCompleted ? finished : []), ...halfAndHalf(downloads, uploads, options.limit)]
  const rows = candidates.slice(0, options.limit)
  if (rows.length === 0) return '\n'
  const table = new ColumnTable([{name: 'TYPE'}, {name: 'TAG'}, {name: 'SOURCEPATH', shrinkable: true}, {name: 'DESTINYPATH', shrinkable: true}, {name: 'PROGRESS'}, {name: 'STATE'}])
  for (const transfer of rows) table.add(row(transfer))
  const trailer = candidates.length > options.limit ? ` ...  Showing first ${options.limit} transfers ...\n` : ''
  return trailer + table.render({width: terminalWidth(75), minShrinkableWidth: options.pathDisplaySize, separator: options.separator, columns: options.columns})
}

/** MEGAcmd's order: downloads until half the limit, then uploads, then downloads again if uploads ran out. */
function halfAndHalf(downloads: TransferRecord[], uploads: TransferRecord[], limit: number): TransferRecord[] {
  const half = Math.floor(limit / 2)
  return [...downloads.slice(0, half), ...uploads, ...downloads.slice(half)]
}

function row(transfer: TransferRecord): Record<string, string> {
  const percent = transfer.bytesTotal > 0 ? (100 * transfer.bytesDone) / transfer.bytesTotal : transfer.state === 'COMPLETED' ? 100 : 0
  return {
    TYPE: transfer.direction === 'download' ? '\u21d3' : '\u21d1',
    TAG: String(transfer.tag),
    SOURCEPATH: transfer.source,
    DESTINYPATH: transfer.destination,
    PROGRESS: `${percent.toFixed(2)}% of ${fixLengthString(sizeToText(transfer.bytesTotal), 10, true)}`,
    STATE: transfer.state,
  }
}

/** `--summary`: MEGAcmd's two fixed-width groups, downloads then uploads, on a header and one value line. */
function summary(transfers: TransferRecord[]): string {
  const pending = transfers.filter((t) => PENDING_STATES.includes(t.state))
  const group = (direction: TransferRecord['direction']) => {
    const of = pending.filter((t) => t.direction === direction)
    const done = of.reduce((sum, t) => sum + t.bytesDone, 0)
    const total = of.reduce((sum, t) => sum + t.bytesTotal, 0)
    return [String(of.length), sizeToText(done), sizeToText(total), `${total > 0 ? ((100 * done) / total).toFixed(2) : '0.00'}%`]
  }
  const widths = [16, 12, 12, 8]
  const line = (cells: string[]) => cells.map((cell, i) => fixLengthString(cell, widths[i % 4], true)).slice(0, 4).join('') + '     ' + cells.slice(4).map((cell, i) => fixLengthString(cell, widths[i], true)).join('')
  return `${line(['NUM DOWNLOADS', 'DOWNLOADED', 'TOTAL', '%', 'NUM UPLOADS', 'UPLOADED', 'TOTAL', '%'])}\n${line([...group('download'), ...group('upload')])}\n`
}
