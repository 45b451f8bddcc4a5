import {terminalWidth} from '@mega-shell/core'

/**
 * The width of the path column of `du` and `mediainfo`. MEGAcmd's client passes --path-display-size from its
 * terminal width (megacmdclient.cpp parseArgs: width - 13 for du, width - 28 for mediainfo, 80 columns without
 * a terminal); a value of 0 makes its server use its own width (75 without a terminal) less 22 or 28, at most 50.
 * Negative values are 0. `du --versions` without the option has a path column 11 narrower (MEGAcmd 2.5.2, observed:
 * 56 of 80 columns), for its second size column.
 */
export function pathColumnWidth(option: number | undefined, command: 'du' | 'du --versions' | 'mediainfo'): number {
  const margin = {du: 13, 'du --versions': 24, mediainfo: 28}[command]
  const width = option ?? terminalWidth() - margin
  return Math.max(0, width === 0 ? Math.min(50, 75 - (command === 'mediainfo' ? 28 : 22)) : width)
}
