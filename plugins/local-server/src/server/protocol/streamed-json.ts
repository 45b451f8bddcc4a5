/**
 * A command result too large to build as one string: the `f` of a million-node account is ~200 MB of JSON, which
 * as one string (plus the million objects behind it) took seconds and gigabytes, and a few million nodes more would
 * pass V8's largest string. Its text comes piece by piece instead, and http-server.ts writes each piece as the
 * socket takes it. `pieces` must stay valid across those waits (it reads from its own snapshot, tree-snapshot.ts);
 * `release` frees what it holds, and the writer calls it however the writing ends.
 */
export class StreamedJson {
  constructor(readonly pieces: () => Generator<string, void, undefined>, readonly release: () => void = () => {}) {}

  /** `[a, b, …]` where some elements are streamed and the others are plain JSON text. */
  static array(elements: ReadonlyArray<string | StreamedJson>): StreamedJson {
    const streamed = elements.filter((element): element is StreamedJson => typeof element !== 'string')
    return new StreamedJson(function* () {
      yield '['
      for (const [i, element] of elements.entries()) {
        if (i > 0) yield ','
        if (typeof element === 'string') yield element
        else yield* element.pieces()
      }
      yield ']'
    }, () => streamed.forEach((element) => element.release()))
  }

  /**
   * An object whose first member `key` is an array streamed from `items` (each a JSON value), in pieces of about
   * `pieceSize` characters, followed by the members of `rest`.
   */
  static objectWithArray(key: string, items: () => Iterable<string>, rest: Record<string, unknown>, release?: () => void, pieceSize = 256 * 1024): StreamedJson {
    return new StreamedJson(function* () {
      let piece = `{${JSON.stringify(key)}:[`
      let first = true
      for (const item of items()) {
        piece += first ? item : `,${item}`
        first = false
        if (piece.length >= pieceSize) {
          yield piece
          piece = ''
        }
      }
      const tail = JSON.stringify(rest)
      yield `${piece}]${tail === '{}' ? '}' : `,${tail.slice(1)}`}`
    }, release)
  }
}
