/**
 * The version line in MEGAcmd's shape, `MEGAcmd version: 2.5.2.0: code 2050200` (MEGAcmd src/megacmdexecuter.cpp
 * "version": MAJOR.MINOR.MICRO.BUILD_ID, then MEGACMD_CODE_VERSION = major·10⁶ + minor·10⁴ + micro·10²), with our
 * name in front: a script that cuts the version after `version: ` or the code after `code ` reads ours the same
 * way, and one that greps for "MEGAcmd" is not told it talks to MEGAcmd. The fourth part (MEGAcmd's build id) is 0:
 * our builds are told apart by their stamp (`version -l`), not by a number.
 */
export function versionLine(version: string): string {
  const [major, minor, micro] = version.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0)
  return `mega-shell version: ${major}.${minor}.${micro}.0: code ${versionCode(major, minor, micro)}`
}

function versionCode(major: number, minor: number, micro: number): number {
  return major * 1_000_000 + minor * 10_000 + micro * 100
}
