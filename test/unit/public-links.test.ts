import {expect} from 'chai'
import {createHmac, pbkdf2Sync, randomBytes} from 'node:crypto'
import {openProtectedLinkContent, protectLinkContent, WrongLinkPasswordError} from '../../src/crypto/link-password.js'
import {CommandError, UsageError} from '../../src/errors.js'
import {exportedLinkText, writableLinkToken} from '../../src/format/link-text.js'
import {isProtectedLink, openPublicLink, parsePublicLink, protectPublicLink, publicLinkUrl, unprotectPublicLink} from '../../src/operations/public-link.js'
import {type MegaNode, NodeType} from '../../src/tree/node.js'

/**
 * Links made by the official SDK (MEGAcmd 2.5.2, SDK v10.8.2: `export -a --password=SomePassword` on a PRO account of
 * the local server), with the plain links they protect: what MegaClient::encryptlink writes, our decryption opens.
 */
const SDK_PROTECTED = [
  {
    link: 'https://mega.nz/#P!AgG4nDOS91v0nQ9dH9vp6VS-ALPCABCsjA6xAIa2d4dUcY00GuKPVmDpkVlITSTwD2Pp185BxVpRFd53nPuuEQKbbXfbxwsxlkaDIW1n5P15dfRNhCQmYD5f6mwhdUhyFXu7hX-qr20',
    plain: 'https://mega.nz/file/uJwzkvdb#A-jvmedtChgiG2CdqPl0xY9Kgn0YmPSDg5BeZpNq_L4',
  },
  {
    link: 'https://mega.nz/#P!AgCK6VQg0SWZdkFq4UfW7lot1jb9KCEYPHOFc3rHB6IfTjjqbeO-RuSHGanzuTr7oYw8gVYxGuZQ0I6Q2NWWqTxJCwEmaUyGyQI7qCI3lVGErin1-69UCg',
    plain: 'https://mega.nz/folder/iulUINEl#yK6j0dVQZiBCPlXjq3M3oQ',
  },
]

describe('public links: forms, password protection, descriptions', function () {
  const fileKey = randomBytes(32)
  const folderKey = randomBytes(16)

  it('reads the current and the old forms of file and folder links, and a node inside a folder link', function () {
    const key = fileKey.toString('base64url')
    const fkey = folderKey.toString('base64url')
    expect(parsePublicLink(`https://mega.nz/file/AbCd_-12#${key}`)).to.deep.include({type: 'file', handle: 'AbCd_-12'})
    expect(parsePublicLink(`https://mega.nz/#!AbCd_-12!${key}`).key.equals(fileKey)).to.equal(true)
    expect(parsePublicLink(`https://mega.co.nz/#F!AbCd_-12!${fkey}`)).to.deep.include({type: 'folder', handle: 'AbCd_-12'})
    expect(parsePublicLink(`https://mega.nz/folder/AbCd_-12#${fkey}/file/zzzzzzzz`).node).to.deep.equal({type: 'file', handle: 'zzzzzzzz'})
    expect(parsePublicLink(`https://mega.nz/folder/AbCd_-12#${fkey}/folder/yyyyyyyy`).node).to.deep.equal({type: 'folder', handle: 'yyyyyyyy'})
    expect(parsePublicLink(`https://mega.nz/#F!AbCd_-12!${fkey}!xxxxxxxx`).node).to.deep.equal({type: 'file', handle: 'xxxxxxxx'})
    for (const bad of ['https://mega.nz/file/AbCd_-12#AAAA', `https://example.com/file/AbCd_-12#${key}`, 'https://mega.nz/folder/AbCd_-12', 'nolink']) {
      expect(() => parsePublicLink(bad), bad).to.throw(CommandError, /^Invalid link/).with.property('exitCode', 55)
    }
  })

  it('writes links in the form MEGAcmd prints them', function () {
    expect(publicLinkUrl({type: 'file', handle: 'AbCd_-12', key: fileKey})).to.equal(`https://mega.nz/file/AbCd_-12#${fileKey.toString('base64url')}`)
    expect(publicLinkUrl({type: 'folder', handle: 'AbCd_-12', key: folderKey})).to.equal(`https://mega.nz/folder/AbCd_-12#${folderKey.toString('base64url')}`)
  })

  it('opens the password-protected links the official SDK made, and no other password opens them', function () {
    for (const {link, plain} of SDK_PROTECTED) {
      expect(isProtectedLink(link)).to.equal(true)
      expect(publicLinkUrl(unprotectPublicLink(link, 'SomePassword'))).to.equal(plain)
      expect(() => unprotectPublicLink(link, 'somepassword')).to.throw(CommandError, /^Invalid password$/).with.property('exitCode', 56)
    }
  })

  it('protects a link so that its password opens it again, with a fresh salt each time', function () {
    for (const link of [{type: 'file' as const, handle: 'AbCd_-12', key: fileKey}, {type: 'folder' as const, handle: 'Zz09-_aB', key: folderKey}]) {
      const once = protectPublicLink(link, 'pass wörd')
      expect(once).to.match(/^https:\/\/mega\.nz\/#P![\w-]+$/)
      expect(protectPublicLink(link, 'pass wörd')).to.not.equal(once)
      expect(unprotectPublicLink(once, 'pass wörd')).to.deep.equal(link)
    }
  })

  it('opens the first algorithm too (HMAC key and data swapped, as the webclient once wrote it)', function () {
    const salt = randomBytes(32)
    const derived = pbkdf2Sync('secret', salt, 100_000, 64, 'sha512')
    const encrypted = Buffer.from(folderKey.map((byte, i) => byte ^ derived[i]))
    const data = Buffer.concat([Buffer.from([1, 0]), Buffer.from('handle', 'latin1'), salt, encrypted])
    const payload = Buffer.concat([data, createHmac('sha256', data).update(derived.subarray(32)).digest()])
    expect(openProtectedLinkContent(payload, 'secret')).to.deep.equal({type: 'folder', handle: Buffer.from('handle', 'latin1'), key: folderKey})
    expect(() => openProtectedLinkContent(payload, 'Secret')).to.throw(WrongLinkPasswordError)
    // Algorithm 2 keys the HMAC with the derived bytes: the same payload under 2 does not verify.
    payload[0] = 2
    expect(() => openProtectedLinkContent(payload, 'secret')).to.throw(WrongLinkPasswordError)
  })

  it('asks for the password of a protected link (51) and takes a plain link as it is', function () {
    const protectedLink = protectLinkContent({type: 'file', handle: Buffer.alloc(6), key: fileKey}, 'pw').toString('base64url')
    expect(() => openPublicLink(`https://mega.nz/#P!${protectedLink}`, undefined)).to.throw(UsageError, 'Need a password to decrypt provided link (--password=PASSWORD)')
    expect(() => openPublicLink('https://mega.nz/#P!AAAA', 'pw')).to.throw(CommandError, /^Invalid link/)
    expect(openPublicLink(`https://mega.nz/file/AbCd_-12#${fileKey.toString('base64url')}`, 'ignored').key.equals(fileKey)).to.equal(true)
  })

  it('describes a link as MEGAcmd lists it: permanent or temporal, expired or not, and a writable folder\'s token', function () {
    const node = (type: NodeType, link: MegaNode['link']): MegaNode => ({
      handle: 'hhhhhhhh', parent: null, type, name: 'x', size: 1, ts: 0, mtime: null, owner: null, key: null, attrs: {}, fa: null, link,
    })
    const time = (seconds: number) => `@${seconds}`
    const now = Math.floor(Date.now() / 1000)
    const permanent = {ph: 'PPPPPPPP', created: now, expires: null, authKey: null}
    expect(exportedLinkText(node(NodeType.FILE, null), 'u', time)).to.equal(undefined)
    expect(exportedLinkText(node(NodeType.FILE, permanent), undefined, time)).to.equal('shared as exported permanent file link')
    expect(exportedLinkText(node(NodeType.FILE, {...permanent, expires: now + 100}), 'u', time)).to.equal(`shared as exported temporal file link: u expires at @${now + 100}`)
    expect(exportedLinkText(node(NodeType.FILE, {...permanent, expires: now - 100}), 'u', time)).to.equal(`shared as exported temporal file link: u expired at @${now - 100}`)
    expect(exportedLinkText(node(NodeType.FOLDER, {...permanent, expires: now + 100}), 'https://mega.nz/folder/PPPPPPPP#k', time))
      .to.equal('shared as exported temporal folder link: https://mega.nz/folder/PPPPPPPP#k')
    expect(exportedLinkText(node(NodeType.FOLDER, {...permanent, authKey: 'AUTH'}), 'https://mega.nz/folder/PPPPPPPP#k', time))
      .to.equal('shared as exported permanent folder link: https://mega.nz/folder/PPPPPPPP#k AuthToken=PPPPPPPP#k:AUTH')
    expect(writableLinkToken('https://mega.nz/folder/PPPPPPPP#k', null)).to.equal(undefined)
  })
})
