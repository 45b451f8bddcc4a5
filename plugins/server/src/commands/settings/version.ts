import {Flags} from '@oclif/core'
import {MegaCommand} from '@mega-shell/core'
import {buildId} from '@mega-shell/core/daemon'
import {CURRENT_CHANGES, FULL_CHANGELOG} from '../../version/changes.js'
import {enabledFeatures} from '../../version/features.js'
import {versionLine} from '../../version/version-line.js'

export interface VersionResult {
  version: string
  build: string
  changes?: readonly string[]
  features?: string[]
}

export default class Version extends MegaCommand<VersionResult> {
  static override summary = 'Print the version, its changes (-c) and build details (-l) (MEGAcmd version)'
  static override description = `The first line has MEGAcmd's shape, "mega-shell version: X.Y.Z.0: code N", so scripts that read MEGAcmd's
version line read ours. "mega --version" prints oclif's version line instead (name, version, platform, Node).`
  static override aliases = ['version']
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version -l']
  static override flags = {
    long: Flags.boolean({char: 'l', description: 'also the build, the licence and the features enabled'}),
    changes: Flags.boolean({char: 'c', description: 'also the changes of this version'}),
  }

  async run(): Promise<VersionResult> {
    const {flags} = await this.parse(Version)
    const result: VersionResult = {version: this.config.version, build: buildId()}
    this.out(versionLine(this.config.version))
    // MEGAcmd's order: the version, then -c, then -l (MEGAcmd src/megacmdexecuter.cpp "version").
    if (flags.changes) {
      this.out('Changes in the current version:')
      for (const change of CURRENT_CHANGES) this.out(` * ${change}`)
      this.out()
      this.out(FULL_CHANGELOG)
      this.out()
      result.changes = CURRENT_CHANGES
    }
    if (flags.long) {
      result.features = enabledFeatures(this.config)
      this.out(`mega-shell build: ${result.build}`)
      this.out(`Node.js version: ${process.version}`)
      this.out(`mega-shell License: ${this.config.pjson.license ?? 'see the package'}`)
      this.out('MEGA Terms: https://mega.nz/terms')
      this.out('MEGA General Data Protection Regulation Disclosure: https://mega.nz/gdpr')
      this.out('Features enabled:')
      for (const feature of result.features) this.out(`* ${feature}`)
    }
    return result
  }
}
