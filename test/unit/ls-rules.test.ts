import {expect} from 'chai'
import {isRegExpPath} from '../../src/tree/regexp-path.js'
import {relativeBase, shownPath} from '../../plugins/browse/src/listing/shown-path.js'

describe("MEGAcmd's ls rules (plugins/browse/src/listing)", function () {
  it('takes a path as a pattern when it holds an ASCII character other than a letter, digit or _ (isRegExp with PCRE)', function () {
    for (const path of ['p*', 'a?c', 'my-dir', 'a.txt', '/docs/a.txt', 'with space', 'H:AbCd1234', 'a/../b/..', '../x.y']) {
      expect(isRegExpPath(path), path).to.equal(true)
    }
    for (const path of ['.', '..', '/', 'docs', '/docs/deep', 'docs/', 'a_b', './docs', '../docs', 'docs/..', 'docs/.', '../../x', 'a/../b', 'ümlaut', 'Émile']) {
      expect(isRegExpPath(path), path).to.equal(false)
    }
  })

  it('titles a path relative to the cwd only when the argument has a "/" and contains the cwd', function () {
    const cwd = () => '/docs'
    expect(relativeBase('a.txt', cwd)).to.equal(null)
    expect(relativeBase('/docs/a.txt', cwd)).to.equal('/docs')
    expect(relativeBase('../b/x', cwd)).to.equal('')
    // MEGAcmd looks for the cwd anywhere in the argument, not only at its start.
    expect(relativeBase('/x/docs/y', cwd)).to.equal('/docs')
    expect(relativeBase('/x', () => '/')).to.equal('/')
    expect(relativeBase('/x', () => {
      throw new Error('the cwd is gone')
    })).to.equal('')
  })

  it('shows a path without its base and the "/" after it; an unrelated path whole', function () {
    expect(shownPath('/docs/a.txt', '/')).to.equal('docs/a.txt')
    expect(shownPath('/', '/')).to.equal('')
    expect(shownPath('/docs/deep/c.txt', '/docs')).to.equal('deep/c.txt')
    expect(shownPath('/photos/x.png', '/docs')).to.equal('/photos/x.png')
    expect(shownPath('/docs/a.txt', '')).to.equal('/docs/a.txt')
    expect(shownPath('/docs/a.txt', null)).to.equal('/docs/a.txt')
    // As MEGAcmd's strstr: a base that is a prefix of a longer name is cut too.
    expect(shownPath('/docsX/f', '/docs')).to.equal('X/f')
  })
})
