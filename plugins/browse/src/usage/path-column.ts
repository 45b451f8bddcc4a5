import {terminalWidth} from '@mega-shell/core'

/**
 * The width of the path column of `du` and `mediainfo`. MEGAcmd's client passes --path-display-size from its
 * terminal width (megacmdclient.cpp parseArgs: width - 13 for du, width - 28 for mediainfo, 80 columns without
 * a terminal); a value of 0 makes its server use its own width (75 without a terminal) less 22 or 28, at most 50.
 * Negative values are 0.
 */
export function pathColumnWidth(option: number | undefined, command: 'du' | 'mediainfo'): number {
  const margin = command === 'du' ? 13 : 28
  const width = option ?? terminalWidth() - margin
  return Math.max(0, width === 0 ? Math.min(50, 75 - (command === 'du' ? 22 : 28)) : width)
}
