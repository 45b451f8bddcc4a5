import {Flags} from '@oclif/core'
import {MegaCommand, UsageError} from '@mega-shell/core'
import {callSync, type SyncConfig as SyncConfigValues} from '../../service/sync-protocol.js'

export default class SyncConfig extends MegaCommand<SyncConfigValues> {
  static override summary = 'Show (or set) the delays of uploads of files that keep changing'
  static override description = `A file that a sync sees change again and again is not uploaded at every change: after a number of uploads in
quick succession (the max attempts), its next upload waits (the wait time). Shows both settings:
  Delayed uploads wait time: N seconds
  Max attempts until uploads are delayed: N
--delayed-uploads-wait-seconds or --delayed-uploads-max-attempts shows only that line.
Beyond MEGAcmd (which cannot change them from the command line): --set-wait-seconds=N and --set-max-attempts=N
(2 to 5) change them for every sync, kept across restarts of the background server; the lines of what was set are
then shown. Also beyond MEGAcmd: --set-max-watched-folders=N|none (a sync with more folders than N scans instead of
watching: inotify takes a watch per folder) and --set-scan-seconds=N (how often such a sync scans, default 5); both
apply to syncs as they start.`
  static override aliases = ['sync-config']
  static override examples = [
    '<%= config.bin %> sync-config',
    '<%= config.bin %> sync-config --delayed-uploads-wait-seconds',
    '<%= config.bin %> sync-config --set-wait-seconds=300 --set-max-attempts=3',
  ]
  static override flags = {
    'delayed-uploads-wait-seconds': Flags.boolean({description: 'show the seconds a delayed upload waits'}),
    'delayed-uploads-max-attempts': Flags.boolean({description: 'show how many quick successive uploads of a file are made before its uploads are delayed'}),
    'set-wait-seconds': Flags.integer({min: 0, description: 'set the seconds a delayed upload waits', helpValue: 'N'}),
    'set-max-attempts': Flags.integer({description: 'set how many quick successive uploads are made before they are delayed (2 to 5)', helpValue: 'N'}),
    'set-max-watched-folders': Flags.string({description: 'set the most folders one sync watches with file-system events (inotify takes one watch per folder); past it, the sync scans. "none": no limit', helpValue: 'N|none'}),
    'set-scan-seconds': Flags.integer({min: 1, description: 'set how often a sync that cannot watch its folder scans it', helpValue: 'N'}),
  }

  async run(): Promise<SyncConfigValues> {
    const {flags} = await this.parse(SyncConfig)
    const change: Partial<SyncConfigValues> = {}
    if (flags['set-wait-seconds'] !== undefined) change.delayedUploadsWaitSeconds = flags['set-wait-seconds']
    if (flags['set-max-attempts'] !== undefined) change.delayedUploadsMaxAttempts = flags['set-max-attempts']
    const watched = flags['set-max-watched-folders']
    if (watched !== undefined) {
      if (watched !== 'none' && !/^\d+$/.test(watched)) throw new UsageError(`Invalid number of folders: ${watched} (a whole number, or none)`)
      change.maxWatchedFolders = watched === 'none' ? null : Number(watched)
    }
    if (flags['set-scan-seconds'] !== undefined) change.scanSeconds = flags['set-scan-seconds']
    const config = await callSync<SyncConfigValues>(this.config.root, 'config', Object.keys(change).length > 0 ? change : undefined)
    // Which lines: those asked for; else those just set; else both (MEGAcmd).
    let wait = flags['delayed-uploads-wait-seconds']
    let attempts = flags['delayed-uploads-max-attempts']
    const watchSet = change.maxWatchedFolders !== undefined || change.scanSeconds !== undefined
    if (!wait && !attempts) {
      const throttleSet = change.delayedUploadsWaitSeconds !== undefined || change.delayedUploadsMaxAttempts !== undefined
      wait = change.delayedUploadsWaitSeconds !== undefined || (!throttleSet && !watchSet)
      attempts = change.delayedUploadsMaxAttempts !== undefined || (!throttleSet && !watchSet)
    }
    if (wait) this.out(`Delayed uploads wait time: ${config.delayedUploadsWaitSeconds} seconds`)
    if (attempts) this.out(`Max attempts until uploads are delayed: ${config.delayedUploadsMaxAttempts}`)
    if (watchSet) {
      this.out(`Most folders watched per sync: ${config.maxWatchedFolders ?? 'no limit'}`)
      this.out(`Scan interval without file-system events: ${config.scanSeconds} seconds`)
    }
    return config
  }
}
