#!/usr/bin/env node
// Writes oclif.manifest.json for the host and each plugin, as `oclif manifest` does (it loads the plugin
// with ignoreManifest and serialises plugin.manifest), without pulling in the oclif dev CLI and its AWS
// SDK. Run by `npm run build`, so the manifests always match dist/ (stack.md gotcha 2: a stale manifest
// hides source edits).
import {readdirSync, rmSync, writeFileSync, existsSync} from 'node:fs'
import {join, dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core/config'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const roots = [root, ...readdirSync(join(root, 'plugins')).map((p) => join(root, 'plugins', p)).filter((p) => existsSync(join(p, 'package.json')))]

for (const dir of roots) {
  const file = join(dir, 'oclif.manifest.json')
  rmSync(file, {force: true})
  const plugin = new Plugin({root: dir, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: dir === root})
  await plugin.load()
  // Commands in a fixed order: oclif's own order varies between builds (the files' load order), which made every
  // build rewrite the committed manifests.
  const commands = Object.fromEntries(Object.entries(plugin.manifest.commands).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  writeFileSync(file, JSON.stringify({...plugin.manifest, commands}, null, 2) + '\n')
  console.log(`manifest: ${Object.keys(plugin.manifest.commands).length} commands in ${dir === root ? '.' : dir.slice(root.length + 1)}`)
}
