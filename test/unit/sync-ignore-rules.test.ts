import {expect} from 'chai'
import {InvalidFilterError, isValidFilter, parseFilterLine, type PatternFilter} from '../../plugins/sync/src/ignore/ignore-filter.js'
import {DEFAULT_MEGAIGNORE, IgnoreRules} from '../../plugins/sync/src/ignore/ignore-rules.js'

type Kind = 'file' | 'folder' | 'symlink'

/** The paths of `entries` the rules keep, to compare against the SDK's expected trees. */
function kept(rules: IgnoreRules, entries: Array<[string, Kind, number?]>): string[] {
  return entries.filter(([path, kind, size]) => !rules.excludes(path, kind, size)).map(([path]) => path)
}

function pattern(line: string): PatternFilter {
  const filter = parseFilterLine(line)
  if (filter?.kind !== 'pattern') throw new Error(`not a pattern filter: ${line}`)
  return filter
}

function invalid(text: string): InvalidFilterError {
  try {
    IgnoreRules.parse(text)
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidFilterError)
    return error as InvalidFilterError
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`)
}

describe('.megaignore filters (plugins/sync/src/ignore, after the SDK\'s src/syncfilter.cpp)', function () {
  describe('parseFilterLine', function () {
    it('reads <CLASS><TARGET><TYPE><STRATEGY>:<PATTERN> with SDK defaults: all targets, case-insensitive glob', function () {
      expect(pattern('-:*.txt')).to.include({inclusion: false, target: 'all', type: 'name', strategy: 'glob', caseSensitive: false, pattern: '*.txt'})
      expect(pattern('+fg:work*.txt')).to.include({inclusion: true, target: 'file', type: 'name', strategy: 'glob', caseSensitive: false})
      expect(pattern('-dNR:a.*')).to.include({target: 'folder', type: 'local-name', strategy: 'regexp', caseSensitive: true})
      expect(pattern('-spG:x')).to.include({target: 'symlink', type: 'path', strategy: 'glob', caseSensitive: true})
      expect(pattern('-anr:x')).to.include({target: 'all', type: 'name', strategy: 'regexp', caseSensitive: false})
    })

    it('makes a type-less pattern holding "/" a path filter (FT_DEFAULT_BY_CONTENT)', function () {
      expect(pattern('-:Documents/MEGAsync').type).to.equal('path')
      expect(pattern('-n:a/b').type).to.equal('name')
    })

    it('drops trailing white space but keeps inner spaces, and returns null for comments and blank lines', function () {
      expect(pattern('-:my file.txt \t').pattern).to.equal('my file.txt')
      for (const line of ['', '   ', '\t', '# -:x', '#']) expect(parseFilterLine(line), JSON.stringify(line)).to.equal(null)
    })

    it('reads the sync flag and size lines', function () {
      expect(parseFilterLine('+sync:.megaignore')).to.deep.equal({kind: 'sync-ignore-file', sync: true})
      expect(parseFilterLine('-sync:.megaignore')).to.deep.equal({kind: 'sync-ignore-file', sync: false})
      expect(parseFilterLine('exclude-larger:100')).to.deep.equal({kind: 'size', bound: 'larger', limit: 100n})
      expect(parseFilterLine('exclude-smaller: 2K')).to.deep.equal({kind: 'size', bound: 'smaller', limit: 2048n})
      expect(parseFilterLine('exclude-larger:3m  ')).to.deep.include({limit: 3n << 20n})
      expect(parseFilterLine('exclude-larger:1g')).to.deep.include({limit: 1n << 30n})
      expect(parseFilterLine('exclude-larger:1t')).to.deep.include({limit: 1n << 40n})
    })

    it('throws InvalidFilterError on what the SDK refuses', function () {
      for (const line of [
        '-x:foo', 'foo', ' -:foo', '*:foo', '-fd:foo', '-Gn:foo', '-r:(', '-r:a**', '-r:(?:a)', '-r:[[:nope:]]', '-r:[a', '-r:a\\',
        '+sync:.megaignore ', 'exclude-larger', 'exclude-larger:', 'exclude-larger:-1', 'exclude-larger:1x', 'exclude-larger:100 ',
        'exclude-larger:1kb', 'exclude-larger:99999999999999999999', 'exclude-larger:16777216t', 'exclude:1', 'everything',
      ]) {
        expect(() => parseFilterLine(line), line).to.throw(InvalidFilterError).with.property('line', line)
      }
    })

    it('accepts an empty pattern, which matches nothing (the SDK\'s emptiness test never fires)', function () {
      expect(pattern('-:').matches('')).to.equal(true)
      expect(IgnoreRules.parse('-:\n-:   ').excludes('a', 'file')).to.equal(false)
    })
  })

  describe('matching', function () {
    it('globs with * (crossing "/") and ?, and takes "[" literally, like wildcardMatch', function () {
      const glob = pattern('-G:a*b?c')
      expect(['abxc', 'ab1c', 'aXXbYc', 'a/b/c', 'abc', 'abxcd'].map((s) => glob.matches(s))).to.deep.equal([true, true, true, true, false, false])
      expect(pattern('-pG:docs/*').matches('docs/sub/deep.txt')).to.equal(true)
      expect(pattern('-G:*').matches('')).to.equal(true)
      expect(pattern('-G:a**').matches('a')).to.equal(true)
      expect(pattern('-G:[ab]').matches('a')).to.equal(false)
      expect(pattern('-G:[ab]').matches('[ab]')).to.equal(true)
      expect(pattern('-G:*.sb-????????-??????').matches('f.sb-12345678-abcdef')).to.equal(true)
      // `?` is one byte: "é" is two in UTF-8.
      expect(pattern('-G:?').matches('é')).to.equal(false)
      expect(pattern('-G:??').matches('é')).to.equal(true)
    })

    it('folds case for lower-case strategies only, and only for ASCII letters in globs', function () {
      expect(pattern('-g:READ*').matches('readme.md')).to.equal(true)
      expect(pattern('-:READ*').matches('readme.md')).to.equal(true)
      expect(pattern('-G:READ*').matches('readme.md')).to.equal(false)
      expect(pattern('-:é').matches('É')).to.equal(false)
      expect(pattern('-r:read.*').matches('README')).to.equal(true)
      expect(pattern('-R:read.*').matches('README')).to.equal(false)
    })

    it('anchors POSIX extended regexps to the whole subject (std::regex_match)', function () {
      const regex = pattern('-R:.*foo.*')
      expect(['foo', 'xfoox', 'fo'].map((s) => regex.matches(s))).to.deep.equal([true, true, false])
      expect(pattern('-R:foo').matches('xfoo')).to.equal(false)
      expect(pattern('-R:a|b').matches('b')).to.equal(true)
      expect(pattern('-R:a|b').matches('ab')).to.equal(false)
      expect(pattern('-R:(ab){2,3}').matches('ababab')).to.equal(true)
    })

    it('reads ERE escapes and brackets as libstdc++ does in extended mode', function () {
      expect(pattern('-R:\\d').matches('d')).to.equal(true)
      expect(pattern('-R:\\d').matches('1')).to.equal(false)
      expect(pattern('-R:a\\.b').matches('a.b')).to.equal(true)
      expect(pattern('-R:a\\.b').matches('axb')).to.equal(false)
      expect(pattern('-R:[[:digit:]]+\\.log').matches('2024.log')).to.equal(true)
      expect(pattern('-R:[[:alpha:]-]+').matches('a-b')).to.equal(true)
      expect(pattern('-R:[]a]').matches(']')).to.equal(true)
      expect(pattern('-R:[^]a]').matches(']')).to.equal(false)
      expect(pattern('-R:[\\n]').matches('\\')).to.equal(true)
      expect(pattern('-R:[a-c]').matches('b')).to.equal(true)
      expect(pattern('-R:[[.-.]]').matches('-')).to.equal(true)
      expect(pattern('-r:[[:upper:]]').matches('x')).to.equal(true)
    })
  })

  describe('IgnoreRules', function () {
    it('lets the last matching filter win (FilterChain::match walks from the end; SDK test OrderDependentFilter)', function () {
      const rules = IgnoreRules.parse('-:a*\n+:ab*\n-:abc*\n+:abcd*\n')
      expect(kept(rules, [['a', 'file'], ['ab', 'file'], ['abc', 'file'], ['abcd', 'file']])).to.deep.equal(['ab', 'abcd'])
    })

    it('applies N to root entries only and n everywhere (SDK test NameFilter)', function () {
      const rules = IgnoreRules.parse('-:*.n*\n+:*.ni\n+N:*.nN\n-N:*.X*\n+N:*.Xi\n')
      const entries: Array<[string, Kind]> = [
        ['d', 'folder'], ['d/df.n', 'file'], ['d/df.ni', 'file'], ['d/df.nN', 'file'], ['d/df.X', 'file'],
        ['f.n', 'file'], ['f.ni', 'file'], ['f.nN', 'file'], ['f.X', 'file'], ['f.Xi', 'file'], ['d.n', 'folder'], ['d.n/f.ni', 'file'],
      ]
      // The SDK test's comment calls f.nN excluded, but its expected tree keeps it: +N:*.nN is the last match.
      expect(kept(rules, entries)).to.deep.equal(['d', 'd/df.ni', 'd/df.X', 'f.ni', 'f.nN', 'f.Xi'])
    })

    it('matches p filters against the root-relative path, * crossing "/" (SDK test PathFilter)', function () {
      const rules = IgnoreRules.parse('-p:d*/d*\n+p:di*/di*\n+p:dL\n+p:dJ*\n')
      const files = ['d/d/f', 'd/f', 'di/di/f', 'di/f', 'dL/d/f', 'dL/f', 'dJ/d/f', 'dJ/f']
      expect(kept(rules, files.map((f) => [f, 'file']))).to.deep.equal(['d/f', 'di/di/f', 'di/f', 'dL/f', 'dJ/d/f', 'dJ/f'])
      expect(IgnoreRules.parse('-:docs/private').excludes('docs/private', 'folder')).to.equal(true)
      expect(IgnoreRules.parse('-:docs/private').excludes('x/docs/private', 'folder')).to.equal(false)
    })

    it('restricts d/f/s filters to their kind; ancestors count as folders (SDK test TargetSpecificFilter)', function () {
      const rules = IgnoreRules.parse('-d:*a\n-f:*b\n-:*c\n+:*x*\n')
      const entries: Array<[string, Kind]> = []
      for (const dir of ['da', 'db', 'dc', 'dxa', 'dxc']) {
        entries.push([dir, 'folder'], ...['fa', 'fb', 'fc', 'fxb', 'fxc'].map((f): [string, Kind] => [`${dir}/${f}`, 'file']))
      }
      entries.push(['fa', 'file'], ['fb', 'file'], ['fxb', 'file'], ['fc', 'file'], ['fxc', 'file'])
      const excluded = entries.map(([path]) => path).filter((path) => !kept(rules, entries).includes(path))
      expect(excluded).to.deep.equal([
        'da', 'da/fa', 'da/fb', 'da/fc', 'da/fxb', 'da/fxc', 'db/fb', 'db/fc', 'dc', 'dc/fa', 'dc/fb', 'dc/fc', 'dc/fxb', 'dc/fxc',
        'dxa/fb', 'dxa/fc', 'dxc/fb', 'dxc/fc', 'fb', 'fc',
      ])
      const links = IgnoreRules.parse('-s:*\n')
      expect([links.excludes('l', 'symlink'), links.excludes('l', 'file'), links.excludes('l', 'folder')]).to.deep.equal([true, false, false])
    })

    it('never lets a + filter reach into an excluded folder', function () {
      const rules = IgnoreRules.parse('-d:private\n+:*\n')
      expect(rules.excludes('private', 'folder')).to.equal(false)
      expect(IgnoreRules.parse('-:private\n+f:*.txt').excludes('private/a.txt', 'file')).to.equal(true)
    })

    it('is case-sensitive only for G/R (SDK test CaseSensitiveFilter)', function () {
      const rules = IgnoreRules.parse('-G:f\n-:g\n')
      expect(kept(rules, [['a/f', 'file'], ['a/g', 'file'], ['b/F', 'file'], ['b/G', 'file']])).to.deep.equal(['b/F'])
    })

    it('syncs the root .megaignore unless -sync:.megaignore says otherwise (last flag wins; the SDK defaults the other way)', function () {
      expect(IgnoreRules.parse('').excludes('.megaignore', 'file')).to.equal(false)
      expect(IgnoreRules.parse('-sync:.megaignore').excludes('.megaignore', 'file')).to.equal(true)
      expect(IgnoreRules.parse('+sync:.megaignore\n-:.*').excludes('.megaignore', 'file')).to.equal(false)
      expect(IgnoreRules.parse('+sync:.megaignore\n-sync:.megaignore').excludes('.megaignore', 'file')).to.equal(true)
      expect(IgnoreRules.NONE.excludes('.megaignore', 'file')).to.equal(false)
      // Other ignore files are only excluded with their folder; a folder of that name is an ordinary entry.
      expect(IgnoreRules.parse('-:.*').excludes('docs/.megaignore', 'file')).to.equal(false)
      expect(IgnoreRules.parse('-:.*').excludes('.hidden/.megaignore', 'file')).to.equal(true)
      expect(IgnoreRules.parse('-:.*\n+sync:.megaignore').excludes('.megaignore', 'folder')).to.equal(true)
    })

    it('excludes files outside the size limits before any + filter, and never folders (SDK test DoesntDownloadIgnoredNodes)', function () {
      const sizes = (text: string) => [0, 7, 8, 9, 15, 16, 17].filter((size) => !IgnoreRules.parse(text).excludes('f', 'file', size))
      expect(sizes('exclude-smaller:8\nexclude-larger:16')).to.deep.equal([8, 9, 15, 16])
      expect(sizes('exclude-smaller:16')).to.deep.equal([16, 17])
      expect(sizes('exclude-larger:16')).to.deep.equal([0, 7, 8, 9, 15, 16])
      // lower > upper excludes the range [upper, lower].
      expect(sizes('exclude-smaller:16\nexclude-larger:8')).to.deep.equal([0, 7, 17])
      const rules = IgnoreRules.parse('exclude-larger:1k\n+:*')
      expect([rules.excludes('big', 'file', 1025), rules.excludes('big', 'folder', 1025), rules.excludes('big', 'file'), rules.excludes('big', 'file', -1)])
        .to.deep.equal([true, false, false, false])
      expect(rules.excludes('.megaignore', 'file', 5000)).to.equal(false)
    })

    it('skips a leading BOM and accepts CRLF, CR and LF line ends', function () {
      const rules = IgnoreRules.parse('\uFEFF-:a\r\n# comment\r-:b\n\n   \n-:c')
      expect(['a', 'b', 'c', 'd'].map((n) => rules.excludes(n, 'file'))).to.deep.equal([true, true, true, false])
      expect(invalid('-:a\n\uFEFF-:b').lineNumber).to.equal(2)
    })

    it('names the line number and text of the first bad line', function () {
      const error = invalid('\uFEFF# comment\n-:ok\n-x:foo\n-y:bar')
      expect(error.message).to.equal('Invalid filter on line 3: "-x:foo"')
      expect(error).to.include({line: '-x:foo', lineNumber: 3})
      expect(invalid('-:a\r\n\r\nbad').message).to.equal('Invalid filter on line 3: "bad"')
      expect(invalid('exclude-larger:0').lineNumber).to.equal(1)
      expect(invalid('exclude-smaller:5\nexclude-larger:5').message).to.equal('Invalid filter on line 2: "exclude-larger:5"')
    })

    it('normalises filters and paths to NFC as the SDK does', function () {
      const rules = IgnoreRules.parse('-G:caf\u0065\u0301')
      expect(rules.excludes('caf\u00e9', 'file')).to.equal(true)
      expect(rules.excludes('caf\u0065\u0301', 'file')).to.equal(true)
    })

    it('excludes nothing with NONE', function () {
      expect(['a', '.x', 'd/.megaignore'].some((p) => IgnoreRules.NONE.excludes(p, 'file', 1e12))).to.equal(false)
    })
  })

  it('writes the SDK\'s default .megaignore (DefaultFilterChain::generate), which excludes dot files and temp files', function () {
    expect(DEFAULT_MEGAIGNORE).to.equal('\uFEFF-:Thumbs.db\n-:desktop.ini\n-:~*\n-:.*\n-:*~.*\n-:*.crdownload\n-:*.sb-????????-??????\n-:*.tmp\n')
    const rules = IgnoreRules.parse(DEFAULT_MEGAIGNORE)
    const names = ['thumbs.db', 'Desktop.ini', '~lock', '.git', 'a~.b', 'x.crdownload', 'x.sb-12345678-abcdef', 'X.TMP', 'keep.txt', '.megaignore']
    expect(names.filter((n) => !rules.excludes(n, 'file'))).to.deep.equal(['keep.txt', '.megaignore'])
    expect(rules.excludes('.git', 'folder')).to.equal(true)
    expect(rules.excludes('src/.git/config', 'file')).to.equal(true)
  })

  it('checks sync-ignore --add filters with MEGAcmd\'s regex, stricter than the SDK', function () {
    for (const ok of ['-f:*.txt', '+fg:work*.txt', '-N:*.avi', '-nr:.*foo.*', '-d:private', '+aNR:x', '+sp:x', '-p:a/b']) expect(isValidFilter(ok), ok).to.equal(true)
    for (const bad of ['-:', '-:a b', '-:a ', '-x:a', 'x', '+sync:.megaignore', 'exclude-larger:1', '#-:a', '-Ng:a\n', ' -:a', '+asNR:x']) {
      expect(isValidFilter(bad), bad).to.equal(false)
    }
    expect(isValidFilter('-:a\u00a0b')).to.equal(true)
  })
})
