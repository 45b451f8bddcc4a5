/**
 * A duration in seconds as MEGAcmd prints it (megacmdutils.cpp getReadablePeriod): years of 365.25 days, months
 * of a twelfth of that, then days, hours, minutes, seconds, each only when not zero: `1h2M3s`, `0s`.
 */
export function readablePeriod(seconds: number): string {
  const units: Array<[number, string]> = [[31557600, 'y'], [2629800, 'm'], [86400, 'd'], [3600, 'h'], [60, 'M'], [1, 's']]
  let rest = Math.trunc(seconds)
  let text = ''
  for (const [size, unit] of units) {
    const count = Math.trunc(rest / size)
    rest %= size
    if (count) text += `${count}${unit}`
  }
  return text || '0s'
}
