/** Runs async tasks with at most `limit` of them in flight; the others wait their turn, in order. */
export class TaskLimiter {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.running++
    try {
      return await task()
    } finally {
      // The slot passes straight to the next waiting task, if any.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
