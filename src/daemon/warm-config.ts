import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import {Config, execute} from '@oclif/core'

/**
 * oclif's execute() for a command host: the same entry point `bin/run.js` uses (its parsing, hooks, help, --json,
 * errors and exit codes), minus the configuration's reloads. Given a loaded Config, @oclif/core 4.14 calls
 * Config.load(config) twice per command, in main.js run() and again in Command.run() (command.js), and each call
 * (lib/config/config.js Config.load, `isConfig(opts)`) builds and loads a new Config from it: the plugins are reused,
 * but the root package.json, the theme file, the platform and shell are read again and every command's permutations
 * and topics rebuilt, ~3 ms of CPU of a warm host's ~7 ms `ls /`.
 *
 * The new Config can differ from the host's only through what Config.load() reads that can change while the host
 * lives: the scoped variables it reads (load(), maybeAdjustDebugSetting(), loadTheme(), buildS3Config()), which
 * travel with each job, and the user's theme file (loadTheme()). The user plugins cannot: with plugins given, oclif
 * does not read them again (plugin-loader.js loadChildren), and the server retires hosts whose plugins changed
 * (host-pool.ts). So while those inputs are the host's own, the host's Config is handed over as the reload's result;
 * a job that brings others gets oclif's reload, as before.
 */
export class WarmConfig {
  private readonly inputs: string
  /** Within execute(), when the job's inputs are the host's: Config.load(config) answers with the config itself. */
  private reusing = false

  private constructor(readonly config: Config) {
    this.inputs = loadInputs(config)
    const load = Config.load.bind(Config)
    // Only the reload of this very config is skipped: plugin-plugins loads other plugins' configs by their root.
    Config.load = async (options) => (this.reusing && options === this.config ? this.config : load(options))
  }

  /** Loads oclif's configuration of the package at `root`, once for the host's life. */
  static async load(root: string): Promise<WarmConfig> {
    return new WarmConfig(await Config.load({root}))
  }

  /** execute({args, loadOptions}) with this configuration, reloaded only if the job's environment or theme changed it. */
  async execute(args: string[]): Promise<unknown> {
    this.reusing = loadInputs(this.config) === this.inputs
    try {
      return await execute({args, loadOptions: this.config})
    } finally {
      this.reusing = false
    }
  }
}

/** The scoped variables oclif's Config.load() reads (@oclif/core 4.14 lib/config/config.js). */
const SCOPED_VARIABLES = ['CACHE_DIR', 'CONFIG_DIR', 'DATA_DIR', 'BINPATH', 'NPM_REGISTRY', 'DISABLE_THEME', 'DEBUG', 'S3_BUCKET']

/** What Config.load() would read now that can change in a host's life: those variables and the theme file's identity. */
function loadInputs(config: Config): string {
  const variables = SCOPED_VARIABLES.flatMap((name) => config.scopedEnvVarKeys(name)).map((key) => process.env[key] ?? '')
  return JSON.stringify([variables, fileStamp(resolve(config.configDir, 'theme.json'))])
}

function fileStamp(path: string): string {
  try {
    const stat = statSync(path)
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`
  } catch {
    return 'none'
  }
}
