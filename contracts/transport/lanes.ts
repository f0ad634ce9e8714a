/**
 * Runs work items keyed by an entity with at most `concurrency` keys at once and one key's items strictly in
 * the order they were added: a shipment's cancellation is never handled before its request.
 */
export class Lanes {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Resolves when the item may be added without exceeding the limit (back-pressure for the reader). */
  async ready(): Promise<void> {
    while (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  add(key: string, work: () => Promise<void>): void {
    this.running++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous
      .then(work)
      .catch(() => {})
      .finally(() => {
        this.running--;
        if (this.tails.get(key) === tail) this.tails.delete(key);
        this.waiting.shift()?.();
      });
    this.tails.set(key, tail);
  }

  /** Resolves when everything added has finished. */
  async drained(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
