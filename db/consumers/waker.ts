/** A wake-up flag: a notify that arrives while the loop is busy is kept, so the next wait returns at once. */
export class Waker {
  private pending = false;
  private resolve: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    this.resolve?.();
  }

  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.resolve = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        this.resolve = done;
      });
    }
    this.pending = false;
  }
}

/** Sleeps, but returns early when the engine is shutting down. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
