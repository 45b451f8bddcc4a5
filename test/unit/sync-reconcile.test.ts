import {expect} from 'chai'
import {type Action, reconcile, type ReconcileInput} from '../../plugins/sync/src/engine/reconcile.js'
import type {LocalEntry} from '../../plugins/sync/src/local/local-scan.js'
import type {RemoteEntry} from '../../plugins/sync/src/remote/remote-snapshot.js'
import {EntryKind, type SyncedEntry} from '../../plugins/sync/src/state/sync-store.js'

const NOW = 1_800_000_000_000
const OLD = NOW - 60_000

/** A tree as the three sides see it, from short descriptions: `path` → [inode or handle, size, mtime]. */
function local(entries: Record<string, [number, number?, number?]>): Map<string, LocalEntry> {
  return new Map(Object.entries(entries).map(([path, [inode, size, mtime]]) => [path, {
    path, rel: path, kind: size === undefined ? EntryKind.FOLDER : EntryKind.FILE, size: size ?? 0, mtimeMs: mtime ?? OLD, inode,
  }]))
}

function remote(entries: Record<string, [string, number?]>): Map<string, RemoteEntry> {
  return new Map(Object.entries(entries).map(([path, [handle, size]]) => [path, {
    path, kind: size === undefined ? EntryKind.FOLDER : EntryKind.FILE, handle, size: size ?? 0, mtime: OLD / 1000, fingerprint: null, name: path,
  }]))
}

function synced(entries: Record<string, [number, string, number?]>): Map<string, SyncedEntry> {
  return new Map(Object.entries(entries).map(([path, [inode, handle, size]]) => [path, {
    path, kind: size === undefined ? EntryKind.FOLDER : EntryKind.FILE, size: size ?? 0, mtimeMs: OLD, inode, handle, fingerprint: null,
  }]))
}

function plan(input: Partial<ReconcileInput>) {
  const result = reconcile({local: new Map(), remote: new Map(), synced: new Map(), blocked: new Set(), mode: 'two-way', stableMs: 700, now: NOW, ...input})
  const brief = (a: Action) => `${a.kind} ${a.path}${'to' in a ? ` -> ${a.to}` : ''}`
  return {moves: result.moves.map(brief), actions: result.actions.map(brief), recheckAt: result.recheckAt}
}

describe('sync reconcile: the three-way comparison', function () {
  it('new things on one side go to the other, parents first; identical new things are compared', function () {
    expect(plan({local: local({d: [1], 'd/a.txt': [2, 5]}), remote: remote({r: ['H1'], 'r/b.txt': ['H2', 3]})}).actions).to.deep.equal([
      'create-remote-folder d', 'create-local-folder r', 'upload d/a.txt', 'download r/b.txt',
    ])
    expect(plan({local: local({'x.txt': [1, 5]}), remote: remote({'x.txt': ['H', 5]})}).actions).to.deep.equal(['compare x.txt'])
  })

  it('a change carries over from the side that changed; both changed is a compare (conflict unless identical)', function () {
    const base = synced({'a.txt': [1, 'H1', 5], 'b.txt': [2, 'H2', 5], 'c.txt': [3, 'H3', 5]})
    const l = local({'a.txt': [1, 6], 'b.txt': [2, 5], 'c.txt': [3, 7]})
    const r = remote({'a.txt': ['H1', 5], 'b.txt': ['H2new', 9], 'c.txt': ['H3new', 8]})
    expect(plan({local: l, remote: r, synced: base}).actions).to.deep.equal(['upload a.txt', 'download b.txt', 'compare c.txt'])
  })

  it('a deletion carries over to debris only when the other side did not change the thing', function () {
    const base = synced({'gone-local.txt': [1, 'H1', 5], 'gone-remote.txt': [2, 'H2', 5], 'restored.txt': [3, 'H3', 5], 'both.txt': [4, 'H4', 5]})
    const l = local({'gone-remote.txt': [2, 5], 'restored.txt': [3, 5]})
    const r = remote({'gone-local.txt': ['H1', 5], 'restored.txt': ['H3', 5]})
    // restored.txt: still on both sides as synced, nothing to do; deleted locally but changed remotely comes back:
    const r2 = new Map(r)
    r2.set('restored.txt', {...r.get('restored.txt')!, handle: 'H3new'})
    expect(plan({local: l, remote: r2, synced: base}).actions).to.deep.equal(['forget both.txt', 'remote-to-debris gone-local.txt', 'local-to-debris gone-remote.txt', 'download restored.txt'])
  })

  it('a folder deleted on one side goes whole, unless something under it changed on the other side', function () {
    const base = synced({f: [1, 'F'], 'f/a.txt': [2, 'A', 5], 'f/b.txt': [3, 'B', 5]})
    const r = remote({f: ['F'], 'f/a.txt': ['A', 5], 'f/b.txt': ['B', 5]})
    expect(plan({remote: r, synced: base}).actions).to.deep.equal(['remote-to-debris f'])
    const changed = new Map(r)
    changed.set('f/b.txt', {...r.get('f/b.txt')!, handle: 'Bnew'})
    expect(plan({remote: changed, synced: base}).actions).to.deep.equal(['create-local-folder f', 'remote-to-debris f/a.txt', 'download f/b.txt'])
  })

  it('moves are found by inode locally and by handle remotely, and come alone', function () {
    const base = synced({'a.txt': [1, 'H1', 5], dir: [2, 'D'], 'dir/in.txt': [3, 'H3', 5]})
    const l = local({'renamed.txt': [1, 5], moved: [2], 'moved/in.txt': [3, 5]})
    const r = remote({'a.txt': ['H1', 5], dir: ['D'], 'dir/in.txt': ['H3', 5]})
    expect(plan({local: l, remote: r, synced: base}).moves).to.deep.equal(['move-remote a.txt -> renamed.txt', 'move-remote dir -> moved'])
    const l2 = local({'a.txt': [1, 5], dir: [2], 'dir/in.txt': [3, 5]})
    const r2 = remote({'b.txt': ['H1', 5], dir: ['D'], 'dir/in.txt': ['H3', 5]})
    expect(plan({local: l2, remote: r2, synced: base}).moves).to.deep.equal(['move-local a.txt -> b.txt'])
    // Both sides made the same move: only the synced state follows.
    expect(plan({local: local({'b.txt': [1, 5]}), remote: remote({'b.txt': ['H1', 5]}), synced: synced({'a.txt': [1, 'H1', 5]})}).moves).to.deep.equal(['rekey a.txt -> b.txt'])
  })

  it('a file still being written waits, and says when to look again', function () {
    const result = plan({local: local({'busy.log': [1, 5, NOW - 100]})})
    expect(result.actions).to.deep.equal([])
    expect(result.recheckAt).to.equal(NOW - 100 + 700)
  })

  it('one-way modes: up never downloads nor deletes remotely; mirror-down makes the local side the remote one', function () {
    const base = synced({'gone.txt': [1, 'H1', 5]})
    const l = local({'new.txt': [2, 5]})
    const r = remote({'gone.txt': ['H1', 5], 'remote-new.txt': ['H9', 5]})
    expect(plan({local: l, remote: r, synced: base, mode: 'up'}).actions).to.deep.equal(['forget gone.txt', 'upload new.txt'])
    expect(plan({local: l, remote: r, synced: base, mode: 'mirror-up'}).actions).to.deep.equal(['remote-to-debris gone.txt', 'upload new.txt', 'remote-to-debris remote-new.txt'])
    expect(plan({local: l, remote: r, synced: base, mode: 'mirror-down'}).actions).to.deep.equal(['download gone.txt', 'local-to-debris new.txt', 'download remote-new.txt'])
  })

  it('blocked paths (their issues say why) are left alone with what they hold', function () {
    expect(plan({local: local({bad: [1], 'bad/x.txt': [2, 5], 'ok.txt': [3, 5]}), blocked: new Set(['bad'])}).actions).to.deep.equal(['upload ok.txt'])
  })
})
