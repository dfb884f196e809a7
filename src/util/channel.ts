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

  private weight = 0;

  /** `weigh` (with `maxWeight`) also bounds what the queue holds by size, e.g. bytes of content. */
  constructor(
    private readonly limit = 64,
    private readonly weigh?: (item: T) => number,
    private readonly maxWeight = Infinity,
  ) {}

  private full(): boolean {
    return this.items.length >= this.limit || this.weight >= this.maxWeight;
  }

  async push(item: T): Promise<void> {
    this.items.push(item);
    if (this.weigh) this.weight += this.weigh(item);
    this.wakeConsumer?.();
    if (this.full()) await new Promise<void>((r) => this.waitingProducers.push(r));
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
        if (this.weigh) this.weight -= this.weigh(item);
        if (!this.full()) this.waitingProducers.splice(0).forEach((r) => r());
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
export function produce<T>(fn: (push: (item: T) => Promise<void>) => Promise<void>, limit?: number, weigh?: (item: T) => number, maxWeight?: number): AsyncIterable<T> {
  const ch = new Channel<T>(limit, weigh, maxWeight);
  fn((item) => ch.push(item)).then(
    () => ch.close(),
    (e) => ch.close(e),
  );
  return ch;
}
