import {formatTime, sizeToText} from '@mega-shell/core'
import type {ListEntry} from './entry.js'

/**
 * `ls -l` rows exactly as MEGAcmd prints them (megacmdexecuter.cpp dumpNodeSummaryHeader/dumpNodeSummary):
 * FLAGS (type, exported e/-, permanent p/-, shared s/-), VERS (4, right), SIZE (12, right), DATE (SHORT),
 * [H:handle], NAME — so `awk '{print $NF}'`-style scripts keep working.
 */
const SIZE_WIDTH = 12
const TYPE_FLAG: Record<ListEntry['type'], string> = {file: '-', folder: 'd', root: 'r', inbox: 'i', rubbish: 'b'}

export function longHeader(showHandles: boolean): string {
  const dateWidth = formatTime(Date.now() / 1000).length + 1
  return ['FLAGS', 'VERS'.padEnd(4), 'SIZE  '.padStart(SIZE_WIDTH - 1), 'DATE      '.padStart(dateWidth), ...(showHandles ? ['   HANDLE'] : []), 'NAME'].join(' ')
}

export function longRow(entry: ListEntry, title: string, options: {human: boolean; showHandles: boolean}): string {
  const flags = TYPE_FLAG[entry.type] + (entry.exported ? 'ep' : '--') + '-'
  const versions = entry.type === 'file' ? '1' : '-'
  const size = entry.size === null ? '-' : sizeToText(entry.size, options.human)
  return [flags, versions.padStart(4), size.padStart(SIZE_WIDTH), formatTime(entry.time), ...(options.showHandles ? [`H:${entry.handle}`] : []), title].join(' ')
}
