import {expect} from 'chai'
import {displayPath} from '../../plugins/share/src/exporting/display-path.js'
import {exportMode} from '../../plugins/share/src/exporting/export-mode.js'

describe('export: its flags and how it names what it lists', function () {
  // The plugin's errors are the built core's classes: they are told by their exit code here.
  it('checks the flags in MEGAcmd\'s order, each a usage error (51)', function () {
    const none = {add: false, delete: false, force: false, writable: false}
    expect(() => exportMode({...none, expire: '10X'})).to.throw('Invalid time 10X').with.property('exitCode', 51)
    expect(() => exportMode({...none, expire: '10M'})).to.throw('Option can only be used when adding an export (with -a)').with.property('exitCode', 51)
    for (const flag of [{force: true}, {writable: true}, {password: 'p'}]) {
      expect(() => exportMode({...none, ...flag}), JSON.stringify(flag)).to.throw('Option can only be used when adding an export (with -a)').with.property('exitCode', 51)
    }
    expect(() => exportMode({...none, add: true, password: ''})).to.throw('Password cannot be empty').with.property('exitCode', 51)
  })

  it('adds (with the expiry after now), deletes or lists; -a wins over -d', function () {
    const none = {add: false, delete: false, force: false, writable: false}
    const now = 1_700_000_000
    expect(exportMode({...none, add: true, delete: true, expire: '10M', password: 'p'}, now)).to.deep.equal({kind: 'add', force: false, writable: false, password: 'p', expires: now + 600})
    expect(exportMode({...none, delete: true})).to.deep.equal({kind: 'delete'})
    expect(exportMode(none)).to.deep.equal({kind: 'list'})
  })

  it('names nodes absolutely for an absolute argument, relative to the cwd otherwise, after any leading ../', function () {
    expect(displayPath('/docs', '/docs/a.txt', '/docs')).to.equal('/docs/a.txt')
    expect(displayPath('.', '/docs/a.txt', '/')).to.equal('docs/a.txt')
    expect(displayPath('a', '/docs/a/b.txt', '/docs')).to.equal('a/b.txt')
    // The cwd itself, and a node outside it, keep their absolute paths.
    expect(displayPath('.', '/docs', '/docs')).to.equal('/docs')
    expect(displayPath('H:xxxxxxxx', '/other/x', '/docs')).to.equal('/other/x')
    expect(displayPath('../docs', '/docs/a.txt', '/docs')).to.equal('../docs/a.txt')
    expect(displayPath('../../x', '/x/y', '/a/b')).to.equal('../../x/y')
    expect(displayPath('./a', '/docs/a/b.txt', '/docs')).to.equal('./a/b.txt')
  })
})
