/**
 * The width MEGAcmd's client lays tables out for (megacmdcommonutils.cpp getNumberOfCols, as its `mega-exec`
 * calls it with 80): the terminal's columns less 2 when stdout is a terminal, else `fallback`.
 */
export function terminalWidth(fallback = 80): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined
  return columns && columns > 2 ? columns - 2 : fallback
}
