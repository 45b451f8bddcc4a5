import {expect} from 'chai'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Config} from '@oclif/core'
import {WarmConfig} from '../../src/daemon/warm-config.js'

/** An oclif CLI whose `config` command returns the Config it runs with. */
const PROBE = fileURLToPath(new URL('../fixtures/config-probe', import.meta.url))

describe('a command host\'s oclif configuration (warm-config.ts)', function () {
  let configDir: string
  let warm: WarmConfig
  const saved = {...process.env}

  before(async function () {
    configDir = await mkdtemp(join(tmpdir(), 'mega-warm-config-'))
    process.env.PROBE_CONFIG_DIR = configDir
    warm = await WarmConfig.load(PROBE)
  })

  afterEach(function () {
    for (const name of ['PROBE_NPM_REGISTRY']) if (saved[name] === undefined) delete process.env[name]
  })

  after(async function () {
    if (saved.PROBE_CONFIG_DIR === undefined) delete process.env.PROBE_CONFIG_DIR
    await rm(configDir, {recursive: true, force: true})
  })

  const run = async (): Promise<Config> => (await warm.execute(['config'])) as Config

  it('runs every command with the host\'s own Config, not a reload of it', async function () {
    expect(await run()).to.equal(warm.config)
    expect(await run()).to.equal(warm.config)
  })

  it('reloads it, as oclif does, for a command whose environment changes what Config.load reads', async function () {
    process.env.PROBE_NPM_REGISTRY = 'https://registry.example.test/'
    const reloaded = await run()
    expect(reloaded).to.not.equal(warm.config)
    expect(reloaded.npmRegistry).to.equal('https://registry.example.test/')
    delete process.env.PROBE_NPM_REGISTRY
    expect(await run()).to.equal(warm.config)
  })

  it('reloads it once the user\'s theme file appears', async function () {
    await writeFile(join(configDir, 'theme.json'), JSON.stringify({command: 'cyan'}))
    const reloaded = await run()
    expect(reloaded).to.not.equal(warm.config)
    expect(reloaded.theme?.command).to.exist
  })
})
