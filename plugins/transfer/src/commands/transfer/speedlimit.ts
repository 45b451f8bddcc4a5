import {Args, Flags} from '@oclif/core'
import {MegaCommand, parseSizeText, ProfileSettings, sizeToText, type TransferDirection, UsageError} from '@mega-shell/core'

export interface SpeedLimitResult {
  /** Bytes per second; 0 = unlimited. */
  upload?: number
  download?: number
  uploadConnections?: number | null
  downloadConnections?: number | null
}

export default class SpeedLimit extends MegaCommand<SpeedLimitResult> {
  static override summary = 'Show or set the upload and download speed limits, and the connections per transfer'
  static override description = `Without NEWLIMIT shows the limits; with it sets both directions, or one with -u or -d. NEWLIMIT is bytes
per second, in MEGAcmd's size syntax: a number alone is bytes, units B, K, M, G, T (binary) add up ("10M",
"1m512k"); 0 is unlimited. --upload-connections and --download-connections set the connections one file
uses (1-32). Kept in the profile; works logged out. A new limit reaches running transfers, the background
server's queue included, within half a second. The limit holds per process: a foreground transfer and the
server's queue each get it.`
  static override aliases = ['speedlimit']
  static override examples = ['<%= config.bin %> speedlimit -d 10M', '<%= config.bin %> speedlimit -h', '<%= config.bin %> speedlimit 0', '<%= config.bin %> speedlimit --upload-connections 8']
  static override args = {
    limit: Args.string({description: 'new limit, bytes per second (units B K M G T; 0 = unlimited)'}),
  }
  static override flags = {
    upload: Flags.boolean({char: 'u', description: 'the upload limit only', exclusive: ['download', 'upload-connections', 'download-connections']}),
    download: Flags.boolean({char: 'd', description: 'the download limit only', exclusive: ['upload', 'upload-connections', 'download-connections']}),
    'upload-connections': Flags.boolean({description: 'show or set the connections per upload', exclusive: ['upload', 'download', 'download-connections']}),
    'download-connections': Flags.boolean({description: 'show or set the connections per download', exclusive: ['upload', 'download', 'upload-connections']}),
    human: Flags.boolean({char: 'h', description: 'human-readable sizes (e.g. 10.00 MB/s)'}),
  }

  async run(): Promise<SpeedLimitResult> {
    const {args, flags} = await this.parse(SpeedLimit)
    const settings = new ProfileSettings()
    const connections: TransferDirection | undefined = flags['upload-connections'] ? 'upload' : flags['download-connections'] ? 'download' : undefined
    if (connections) {
      if (args.limit !== undefined) settings.setMaxConnections(connections, parseConnections(args.limit))
      const count = settings.maxConnections(connections)
      this.out(`${label(connections)} max connections = ${count ?? 'default'}`)
      return {[`${connections}Connections`]: count ?? null}
    }
    const directions: TransferDirection[] = flags.upload ? ['upload'] : flags.download ? ['download'] : ['upload', 'download']
    if (args.limit !== undefined) {
      const limit = parseSpeed(args.limit)
      for (const direction of directions) settings.setSpeedLimit(direction, limit)
    }
    // MEGAcmd's lines (megacmdexecuter.cpp "speedlimit"); its download line takes the upload's " B/s" by mistake.
    const result: SpeedLimitResult = {}
    for (const direction of directions) {
      const limit = settings.speedLimit(direction)
      result[direction] = limit
      this.out(`${label(direction)} speed limit = ${limit === 0 ? 'unlimited' : flags.human ? `${sizeToText(limit, true, false)}/s` : `${limit} B/s`}`)
    }
    if (directions.length === 2) {
      for (const direction of directions) {
        const count = settings.maxConnections(direction)
        if (count !== undefined) this.out(`${label(direction)} max connections = ${count}`)
      }
    }
    return result
  }
}

function label(direction: TransferDirection): string {
  return direction === 'upload' ? 'Upload' : 'Download'
}

/** MEGAcmd's textToSize, retried with "B" for a bare number (megacmdexecuter.cpp "speedlimit"); MEGAcmd saves -1 for a bad one, we refuse it. */
function parseSpeed(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : parseSizeText(text)
  if (value === undefined || text === '' || !Number.isSafeInteger(value)) throw new UsageError(`Invalid speed limit: ${text} (bytes per second, e.g. 500K, 10M, 0 for unlimited)`)
  return value
}

function parseConnections(text: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 1 || value > 32) throw new UsageError(`Invalid number of connections: ${text} (1 to 32)`)
  return value
}
