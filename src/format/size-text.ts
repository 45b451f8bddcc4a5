/**
 * MEGAcmd's human sizes (megacmdcommonutils.cpp sizeToText): two decimals, switching unit only above twice
 * the unit, e.g. `1800.00 KB`, `2.50 MB`. With `equalizeUnitsLength` (MEGAcmd's default, used by `ls -l` and
 * `whoami -l`) bytes are " B", as wide as the other units: `5.00  B`; zero adds a space: `0.00   B`
 * (`5.00 B` and `0.00  B` without).
 */
export function sizeToText(bytes: number, humanReadable: boolean = true, equalizeUnitsLength: boolean = true): string {
  if (!humanReadable) return String(bytes)
  const [unit, name] = sizeUnit(bytes, equalizeUnitsLength)
  const reduced = bytes / unit
  return `${reduced.toFixed(2)} ${reduced === 0 ? ' ' : ''}${name}`
}

/**
 * The unit MEGAcmd shows `bytes` in: the largest one that `bytes` exceeds twice over (megacmdcommonutils.cpp
 * sizeToText, sizeProgressToText), as its size and its name.
 */
export function sizeUnit(bytes: number, equalizeUnitsLength = true): [number, string] {
  const units: Array<[number, string]> = [[2 ** 40, 'TB'], [2 ** 30, 'GB'], [2 ** 20, 'MB'], [2 ** 10, 'KB']]
  return units.find(([size]) => bytes > size * 2) ?? [1, equalizeUnitsLength ? ' B' : 'B']
}
