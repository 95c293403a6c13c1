import type { Logger } from '../shared/logger.js';

/**
 * Keeps a lease alive while its work runs: renews it every third of its length, so a lease can
 * be short (a killed instance's work is taken over soon after) and still never lapse under a live
 * poll or send. A renewal refused (another owner took the lease over) marks it lost: the work
 * stops before its next write. Renewal stops after `maxMs` (a hung call must not hold the lease
 * forever); the lease then lapses on its own and is taken over.
 */
export interface LeaseKeeper {
  /** True once a renewal was refused or `maxMs` passed. */
  readonly lost: boolean;
  stop(): void;
}

export function keepLease(
  renew: () => Promise<boolean>,
  options: { leaseMs: number; maxMs: number; logger: Logger; what: string },
): LeaseKeeper {
  const started = Date.now();
  let lost = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const everyMs = Math.max(10, Math.floor(options.leaseMs / 3));
  // The work itself keeps the process alive, never its lease's timer.
  const later = () => {
    timer = setTimeout(beat, everyMs);
    timer.unref();
  };

  const beat = () => {
    if (stopped) return;
    if (Date.now() - started > options.maxMs) {
      lost = true;
      options.logger.warn({ what: options.what, maxMs: options.maxMs }, 'lease no longer renewed');
      return;
    }
    renew()
      .then(
        (held) => {
          if (!held) {
            lost = true;
            options.logger.warn({ what: options.what }, 'lease taken over by another instance');
          }
        },
        // A failed renewal is retried at the next beat; the lease holds until then.
        (error: unknown) => options.logger.warn({ err: error, what: options.what }, 'lease not renewed'),
      )
      .finally(() => {
        if (!stopped && !lost) later();
      });
  };
  later();

  return {
    get lost() {
      return lost;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
