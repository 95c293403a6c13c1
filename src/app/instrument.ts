import { ChorusRefusedError, ChorusTransportError, SubmitOutcomeUnknownError } from '../deposit/errors.js';
import type { DepositService } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import type { DependencyWatch } from './dependency-watch.js';
import type { Metrics } from '../shared/metrics.js';

/**
 * The composition root measures the conversation's recognizer and deposit service from outside,
 * so recognition and deposit stay free of monitoring code.
 */
export function instrumentRecognizer(recognizer: Recognizer, metrics: Metrics): Recognizer {
  const inspect: Recognizer['inspect'] = async (bytes, fileName) => {
    const started = performance.now();
    try {
      const report = await recognizer.inspect(bytes, fileName);
      metrics.documentAnalysed('ok', (performance.now() - started) / 1000);
      return report;
    } catch (error) {
      metrics.documentAnalysed('failed', (performance.now() - started) / 1000);
      throw error;
    }
  };
  // Every other method (present or added later) goes to the recognizer as it is.
  return new Proxy(recognizer, {
    get(target, property, receiver) {
      if (property === 'inspect') return inspect;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Methods that never talk to Chorus Pro (they say nothing of its reachability). */
const LOCAL_METHODS = new Set<PropertyKey>(['receiptPdf']);

/**
 * Counts submits by outcome, and tells the Chorus Pro watch when a call failed for lack of an
 * answer (network, timeout) or got one (the dependency is back), between its own probes.
 */
export function instrumentDeposit(
  deposit: DepositService,
  metrics: Metrics,
  chorus?: DependencyWatch,
): DepositService {
  const observed = new Proxy(deposit, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || LOCAL_METHODS.has(property)) return value;
      return async (...args: unknown[]) => {
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          chorus?.succeeded();
          if (property === 'submit') metrics.depositEnded('deposited');
          return result;
        } catch (error) {
          if (error instanceof ChorusTransportError) chorus?.failed(error);
          else if (error instanceof ChorusRefusedError) chorus?.succeeded();
          if (property === 'submit') {
            metrics.depositEnded(
              error instanceof ChorusRefusedError
                ? 'refused'
                : error instanceof SubmitOutcomeUnknownError
                  ? 'unknown'
                  : 'failed',
            );
          }
          throw error;
        }
      };
    },
  });
  return observed;
}
