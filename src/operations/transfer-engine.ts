/**
 * The transfer engine (sockets, TLS, worker threads) is loaded on first use: a command that moves no file
 * content — most of them — does not pay the ~30 ms its modules cost at startup.
 */
type Engine = typeof import('../transfer/index.js')

let engine: Promise<Engine> | undefined

export function transferEngine(): Promise<Engine> {
  engine ??= import('../transfer/index.js')
  return engine
}

/** Releases idle connections and worker threads, if the engine was ever loaded (daemons, benchmarks, tests). */
export async function closeTransferEngine(): Promise<void> {
  if (engine) await (await engine).closeTransferEngine()
}
