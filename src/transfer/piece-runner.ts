import type {Piece} from './chunk-plan.js'

/** Work a piece leaves running in the background (wrapped: an async function cannot return a bare promise). */
export interface PieceOutcome {
  background: Promise<unknown>
}

/**
 * Runs `work` over the pieces with at most `connections` pieces in flight. Each piece may hand back background
 * work (e.g. MAC and disk write after the network part) that runs while its connection moves on to the next piece;
 * the run ends when all of it is done. The first failure aborts everything still running (through the signal
 * given to `work`) and is the error the run rejects with, once everything has settled.
 */
export async function runPieces(
  pieces: readonly Piece[],
  connections: number,
  outerSignal: AbortSignal | undefined,
  work: (piece: Piece, signal: AbortSignal) => Promise<PieceOutcome | void>,
): Promise<void> {
  outerSignal?.throwIfAborted()
  const controller = new AbortController()
  const onOuterAbort = (): void => controller.abort(outerSignal!.reason)
  outerSignal?.addEventListener('abort', onOuterAbort, {once: true})
  let failure: {error: unknown} | undefined
  const fail = (error: unknown): void => {
    if (failure) return
    failure = {error}
    controller.abort(error)
  }

  const background: Promise<unknown>[] = []
  let next = 0
  const runner = async (): Promise<void> => {
    while (!failure && next < pieces.length) {
      const piece = pieces[next++]
      try {
        const outcome = await work(piece, controller.signal)
        if (outcome) background.push(outcome.background.catch(fail))
      } catch (error) {
        fail(error)
      }
    }
  }

  try {
    const runners = Array.from({length: Math.max(1, Math.min(connections, pieces.length))}, runner)
    await Promise.all(runners)
    // Background tasks may be added until the last runner returns, so wait for the runners first.
    await Promise.all(background)
  } finally {
    outerSignal?.removeEventListener('abort', onOuterAbort)
  }
  if (failure) throw outerSignal?.aborted ? outerSignal.reason : failure.error
}
