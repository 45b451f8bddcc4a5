import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage, type MutableFile} from 'megajs'
import {encodeMediaProperties} from '../../src/crypto/media-attributes.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'attrs@example.com'
const PASSWORD = 'attribute pass'

/**
 * attr (custom node attributes, kept as "_name" in the node's encrypted attributes and written with `a`) and
 * mediainfo (the fa media attributes, types 8 and 9), with megajs as the second client: it reads what attr
 * writes, writes what attr must read, and attaches media attributes as an uploading client would.
 */
describe('node attributes: attr and mediainfo', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  let storage: Storage
  const file = (name: string): MutableFile => storage.root.children!.find((c) => c.name === name)!

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    const local = tempDir('attr-files-')
    for (const name of ['report.txt', 'video.mp4', 'photo.jpg', 'plain.bin']) writeFileSync(join(local, name), `${name} contents`)
    expectOk(await mega.run(['put', ...['report.txt', 'video.mp4', 'photo.jpg', 'plain.bin'].map((n) => join(local, n)), '/']))
    expectOk(await mega.run(['mkdir', '/folder']))
    storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
  })

  after(function () {
    storage?.api.close()
  })

  /** A node's attributes as megajs decrypts them, in a session of its own (its loaded nodes keep old ones). */
  async function attributesSeenByMegajs(name: string): Promise<Record<string, unknown>> {
    const fresh = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      const node = fresh.root.children!.find((c) => c.name === name)!
      return {...(node as unknown as {attributes: Record<string, unknown>}).attributes}
    } finally {
      fresh.api.close()
    }
  }

  describe('attr', function () {
    it('sets, lists, reads and removes custom attributes, which megajs reads as "_<name>"', async function () {
      expect(expectOk(await mega.run(['attr', '/report.txt']))).to.equal('The node has 0 custom attributes:\n')
      expect(expectOk(await mega.run(['attr', '/report.txt', '-s', 'status', 'reviewed']))).to.equal('Node attribute status updated correctly\n\tstatus = reviewed\n')
      expect(expectOk(await mega.run(['attr', '/report.txt', '-s', 'by', 'Zoë B.']))).to.equal('Node attribute by updated correctly\n\tby = Zoë B.\n')
      expect(await attributesSeenByMegajs('report.txt')).to.include({n: 'report.txt', _status: 'reviewed', _by: 'Zoë B.'})
      // The SDK's order: shorter names first (nameid order), then by bytes.
      expect(expectOk(await mega.run(['attr', '/report.txt']))).to.equal('The node has 2 custom attributes:\n\tby = Zoë B.\n\tstatus = reviewed\n')
      expect(expectOk(await mega.run(['attr', '/report.txt', 'status']))).to.equal('\tstatus = reviewed\n')
      expect(expectOk(await mega.run(['attr', '/report.txt', 'status', '--print-only-value']))).to.equal('reviewed\n')
      expect(expectOk(await mega.run(['attr', '/report.txt', '-d', 'status']))).to.equal('Node attribute status removed correctly\n')
      const after = await attributesSeenByMegajs('report.txt')
      expect(after).to.not.have.property('_status')
      expect(after).to.include({n: 'report.txt', _by: 'Zoë B.'})
    })

    it('reads what megajs writes, normalises names and values to NFC, and an empty value removes', async function () {
      await file('photo.jpg').setAttributes({_camera: 'X100'} as never)
      expect(expectOk(await mega.run(['attr', '/photo.jpg', 'camera', '--print-only-value']))).to.equal('X100\n')
      // "é" as e + U+0301 is stored as U+00E9 (SDK LocalPath::utf8_normalize).
      expectOk(await mega.run(['attr', '/photo.jpg', '-s', 'place', 'Cafe\u0301']))
      expect(await attributesSeenByMegajs('photo.jpg')).to.include({_place: 'Caf\u00e9', _camera: 'X100'})
      expectOk(await mega.run(['attr', '/photo.jpg', '-s', 'camera', '']))
      expect(await attributesSeenByMegajs('photo.jpg')).to.not.have.property('_camera')
    })

    it('keeps s4 official unless --force-non-official', async function () {
      expect(expectOk(await mega.run(['attr', '/folder', '-s', 's4', 'official-value']))).to.equal('Node attribute s4 updated correctly\n\ts4 = official-value\n')
      expect(expectOk(await mega.run(['attr', '/folder', '-s', 's4', 'custom-value', '--force-non-official']))).to.equal('Node attribute s4 updated correctly\n\ts4 = custom-value\n')
      expect(await attributesSeenByMegajs('folder')).to.include({s4: 'official-value', _s4: 'custom-value'})
      expect(expectOk(await mega.run(['attr', '/folder']))).to.equal('The node has 1 custom attributes:\n\ts4 = custom-value\nOfficial attributes:\n\ts4 = official-value\n')
      expect(expectOk(await mega.run(['attr', '/folder', 's4']))).to.equal('\ts4 = official-value\n')
    })

    it('refuses bad input with one line and MEGAcmd\'s codes, changing nothing', async function () {
      const before = await attributesSeenByMegajs('plain.bin')
      expectFailure(await mega.run(['attr']), 51, /^Usage: attr remotepath/)
      expectFailure(await mega.run(['attr', '/nothere']), 53, /^Couldn't find node: \/nothere$/)
      expectFailure(await mega.run(['attr', '/plain.bin', '-s']), 51, /^Attribute not specified$/)
      expectFailure(await mega.run(['attr', '/plain.bin', '-s', 'eightchr', 'x']), 2, /^Failed to set node attribute: eightchr: Invalid argument$/)
      expectFailure(await mega.run(['attr', '/plain.bin', '-s', 'big', 'x'.repeat(70_000)]), 2, /^Failed to set node attribute: big: Invalid argument$/)
      expectFailure(await mega.run(['attr', '/', '-s', 'x', 'y']), 14, /^Failed to set node attribute: x: Invalid key\/Decryption error$/)
      expect(await attributesSeenByMegajs('plain.bin')).to.deep.equal(before)
    })
  })

  describe('mediainfo', function () {
    it('shows what the media attributes say (decoded as the SDK does), "---" where they say nothing', async function () {
      const attach = async (name: string, properties: Parameters<typeof encodeMediaProperties>[0]) => {
        const node = file(name)
        // As an uploading client attaches them (SDK putfa / pfa), encrypted with the file's own key.
        await storage.api.request({a: 'pfa', n: node.nodeId!, fa: encodeMediaProperties(properties, node.key!)} as never)
      }
      await attach('video.mp4', {shortFormat: 0, width: 1920, height: 1080, fps: 30, playtime: 3723, containerId: 3, videoCodecId: 300, audioCodecId: 77})
      await attach('photo.jpg', {shortFormat: 254, width: 640, height: 480, fps: 25, playtime: 10, containerId: 0, videoCodecId: 0, audioCodecId: 0})
      const report = expectOk(await mega.run(['mediainfo', '/video.mp4', '/photo.jpg', '/plain.bin', '/folder']))
      // Without a terminal the path column is 80 - 28 wide, as MEGAcmd's client asks for.
      const row = (path: string, ...values: string[]) => `${path.padEnd(51)} ${values[0].padEnd(6)} ${values[1].padEnd(6)} ${values[2].padEnd(3)} ${values[3].padEnd(10)} `
      expect(report.split('\n')).to.deep.equal([
        `${'FILE'.padEnd(52)}WIDTH  HEIGHT FPS PLAYTIME  `,
        row('/video.mp4', '1920', '1080', '30', '1h2M3s'),
        // Short format 254 means "no information": only the fps is shown, as MEGAcmd does.
        row('/photo.jpg', '---', '---', '25', '---'),
        row('/plain.bin', '---', '---', '---', '---'),
        row('/folder', '---', '---', '---', '---'),
        '',
      ])
      expect(expectOk(await mega.run(['mediainfo', '--path-display-size=12', '/video.mp4']))).to.include('\n/video.mp4  1920   1080   30  1h2M3s     \n')
      const some = await mega.run(['mediainfo', '/nothere', 'vid*'])
      expect([some.code, some.stderr]).to.deep.equal([53, 'Node not found: /nothere\n'])
      expect(some.stdout).to.include('/video.mp4')
      expectFailure(await mega.run(['mediainfo']), 51, /^Usage: mediainfo /)
    })
  })
})
