import {fixLengthString, readablePeriod} from '@mega-shell/core'
import type {MediaInfo} from './media-info.js'

/**
 * `mediainfo` lines as MEGAcmd prints them (megacmdexecuter.cpp printInfoFile): a header FILE (the path column)
 * WIDTH HEIGHT FPS PLAYTIME, then per node its absolute path and the values, "---" for unknown ones, the playtime
 * as a TIMEDELAY (`1h2M3s`). Every row ends with a space, as MEGAcmd's do.
 */
export class MediaTable {
  constructor(private readonly pathWidth: number) {}

  header(): string {
    return fixLengthString('FILE', this.pathWidth) + fixLengthString('WIDTH', 7) + fixLengthString('HEIGHT', 7) + fixLengthString('FPS', 4) + fixLengthString('PLAYTIME', 10)
  }

  row(path: string, info: MediaInfo): string {
    const value = (n: number | null) => (n === null ? '---' : String(n))
    return `${fixLengthString(path, this.pathWidth - 1)} ${fixLengthString(value(info.width), 6)} ${fixLengthString(value(info.height), 6)} `
      + `${fixLengthString(value(info.fps), 3)} ${fixLengthString(info.playtime === null ? '---' : readablePeriod(info.playtime), 10)} `
  }
}
