import type { Config } from '../config/schema.js';
import { resolveChorus, type ChorusResolution } from '../deposit/chorus-resolution.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';

/** Where Facteur reaches Chorus Pro, once the configuration and the embedded simulator are settled. */
export type ChorusInstallation = ChorusResolution;

/**
 * The app's Chorus Pro installation: the one resolution the CLI commands use too
 * (deposit/chorus-resolution.ts), with the embedded simulator on the app's clock and the
 * configured speed, buyers and faults.
 */
export function resolveChorusInstallation(deps: {
  config: Config;
  recognizer: Recognizer;
  logger: Logger;
  now: () => Date;
}): Promise<ChorusInstallation> {
  const { config } = deps;
  return resolveChorus({
    chorus: config.chorus,
    dataDir: config.dataDir,
    recognizer: deps.recognizer,
    logger: deps.logger,
    tuned: { clock: deps.now },
  });
}
