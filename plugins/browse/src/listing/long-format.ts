import {sizeToText} from '@mega-shell/core'
import type {ListEntry} from './entry.js'

/** How `ls -l` rows are written. */
export interface LongFormat {
  human: boolean
  showHandles: boolean
  /** --show-creation-time: files show their creation time instead of their modification time. */
  showCreationTime: boolean
  /** Dates, in the --time-format (SHORT by default). */
  time: (unixSeconds: number) => string
}

/**
 * `ls -l` rows exactly as MEGAcmd prints them (megacmdexecuter.cpp dumpNodeSummaryHeader/dumpNodeSummary):
 * FLAGS (type, exported e/-, permanent p/temporal t/-, shared s/-), VERS (4, right), SIZE (12, right), DATE,
 * [H:handle], NAME — so `awk '{print $NF}'`-style scripts keep working.
 */
const SIZE_WIDTH = 12
const TYPE_FLAG: Record<ListEntry['type'], string> = {file: '-', folder: 'd', root: 'r', inbox: 'i', rubbish: 'b'}

/** The header; the DATE column is as wide as the format makes the current time (dumpNodeSummaryHeader). */
export function longHeader(format: LongFormat): string {
  // getReadableTime(...).size(): bytes, as C++ counts them.
  const dateWidth = Buffer.byteLength(format.time(Date.now() / 1000)) + 1
  return ['FLAGS', 'VERS'.padEnd(4), 'SIZE  '.padStart(SIZE_WIDTH - 1), 'DATE      '.padStart(dateWidth), ...(format.showHandles ? ['   HANDLE'] : []), 'NAME'].join(' ')
}

export function longRow(entry: ListEntry, title: string, format: LongFormat): string {
  const flags = TYPE_FLAG[entry.type] + (entry.exported ? 'ep' : '--') + '-'
  // dumpNodeSummary: the size of api->getVersions(n) (the file itself included), ">999" past 999.
  const versions = entry.type !== 'file' ? '-' : entry.versions > 999 ? '>999' : String(entry.versions)
  const size = entry.size === null ? '-' : sizeToText(entry.size, format.human)
  const time = entry.type === 'file' && !format.showCreationTime ? entry.time : entry.created
  return [flags, versions.padStart(4), size.padStart(SIZE_WIDTH), format.time(time), ...(format.showHandles ? [`H:${entry.handle}`] : []), title].join(' ')
}
