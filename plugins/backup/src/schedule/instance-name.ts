/**
 * The folder of one backup run: `<local folder name>_bk_<YYYYMMDDHHMMSS>`, the time of its slot in local time
 * (SDK MegaScheduledCopyController::start and epochdsToString: strftime "%Y%m%d%H%M%S" of m_localtime).
 */
export function instanceName(localFolderName: string, slot: number): string {
  const d = new Date(slot)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${localFolderName}_bk_${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`
}

/**
 * The slot time (unix ms) of a run folder of this backup, or undefined for any other name. Stricter than the SDK's
 * isBackup (a prefix and "_bk_" anywhere): retention deletes what matches, so only exactly our names do.
 */
export function instanceTime(localFolderName: string, name: string): number | undefined {
  if (!name.startsWith(`${localFolderName}_bk_`)) return undefined
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(name.slice(localFolderName.length + 4))
  if (!match) return undefined
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number)
  return new Date(year, month - 1, day, hours, minutes, seconds).getTime()
}
