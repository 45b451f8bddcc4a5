/**
 * MEGAcmd's human sizes (megacmdcommonutils.cpp sizeToText): two decimals, switching unit only above twice
 * the unit, e.g. `1800.00 KB`, `2.50 MB`; zero prints `0.00  B` (two spaces).
 */
export function sizeToText(bytes: number, humanReadable: boolean = true): string {
  if (!humanReadable) return String(bytes)
  const units: Array<[number, string]> = [[2 ** 40, 'TB'], [2 ** 30, 'GB'], [2 ** 20, 'MB'], [2 ** 10, 'KB']]
  for (const [unit, name] of units) {
    if (bytes > unit * 2) return `${(bytes / unit).toFixed(2)} ${name}`
  }
  return `${bytes.toFixed(2)} ${bytes === 0 ? ' ' : ''}B`
}
