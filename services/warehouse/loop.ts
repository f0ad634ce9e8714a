import type { WarehouseLogger } from './logger';

export type Loop = {
  /** Runs a pass at once (or right after the one under way): something was just committed. */
  nudge(): void;
  /** Stops after the pass under way, and waits for it. */
  stop(): Promise<void>;
};

export type LoopOptions = {
  /** One round of work; resolves to how long to wait for the next one unless nudged (0: at once). */
  readonly pass: () => Promise<number>;
  readonly logger: WarehouseLogger;
  /** Logged when passes start failing (the broker or the database is away), and when one succeeds again. */
  readonly failing: string;
  readonly recovered: string;
};

/**
 * After a failure the loop tries again after 100 ms, doubling up to 5 s: a short blip costs little delay, and
 * a long outage is asked about every few seconds rather than hammered.
 */
const firstRetryMs = 100;
const maxRetryMs = 5_000;

/**
 * Runs `pass` until stopped: nudged after a commit, so work is taken up within milliseconds; otherwise after the
 * wait the pass asked for, a fallback poll that also finds work another process committed. An outage is logged
 * once when it starts and once when it ends, not at every try.
 */
export function startLoop(options: LoopOptions): Loop {
  let stopped = false;
  let nudged = false;
  let failures = 0;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  const running = (async () => {
    while (!stopped) {
      nudged = false;
      let waitMs: number;
      try {
        waitMs = await options.pass();
        if (failures > 0) options.logger.info({ failedTries: failures }, options.recovered);
        failures = 0;
      } catch (error) {
        if (failures === 0) options.logger.warn({ err: error }, options.failing);
        else options.logger.debug({ err: error, failedTries: failures + 1 }, options.failing);
        failures++;
        waitMs = Math.min(maxRetryMs, firstRetryMs * 2 ** (failures - 1));
      }
      if (stopped) break;
      if (nudged && failures === 0) continue;
      if (waitMs > 0) await sleep(waitMs);
    }
  })();

  return {
    nudge() {
      nudged = true;
      // While failing the backoff holds: a nudge per commit would otherwise retry a dead broker at the commit rate.
      if (failures === 0) wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
