/**
 * An async queue between a callback-style producer and a `for await` consumer, with backpressure:
 * `push` resolves once the queue is below its limit, so a fast producer (git cat-file) waits for
 * the consumer (the detection pool) instead of filling memory.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private failure: unknown;
  private wakeConsumer?: () => void;
  private readonly waitingProducers: Array<() => void> = [];

  constructor(private readonly limit = 64) {}

  async push(item: T): Promise<void> {
    this.items.push(item);
    this.wakeConsumer?.();
    if (this.items.length >= this.limit) await new Promise<void>((r) => this.waitingProducers.push(r));
  }

  close(error?: unknown): void {
    this.closed = true;
    this.failure = error;
    this.wakeConsumer?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        if (this.items.length < this.limit) this.waitingProducers.splice(0).forEach((r) => r());
        yield item;
        continue;
      }
      if (this.closed) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((r) => (this.wakeConsumer = r));
      this.wakeConsumer = undefined;
    }
  }
}

/** Run `produce` feeding a channel and iterate what it pushes; the producer's error ends the iteration. */
export function produce<T>(fn: (push: (item: T) => Promise<void>) => Promise<void>, limit?: number): AsyncIterable<T> {
  const ch = new Channel<T>(limit);
  fn((item) => ch.push(item)).then(
    () => ch.close(),
    (e) => ch.close(e),
  );
  return ch;
}
