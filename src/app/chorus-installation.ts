import path from 'node:path';
import type { Config } from '../config/schema.js';
import {
  SimulatorBusyError,
  SIMULATOR_DEFAULTS,
  startSimulator,
  type RunningSimulator,
} from '../deposit/index.js';
import { technicalCredentials } from '../deposit/environment.js';
import type { ChorusCredentials } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';

/** Where Facteur reaches Chorus Pro, once the configuration and the embedded simulator are settled. */
export interface ChorusInstallation {
  env: Config['chorus']['env'];
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  /** The simulator this process runs (simulator mode, none given by URL, none run by another process). */
  simulator?: RunningSimulator;
  /** The technical account used when a Facteur account has no Chorus Pro credentials of its own. */
  fallback?: ChorusCredentials;
}

/**
 * Resolves the Chorus Pro installation: the configured one, or in simulator mode the embedded
 * simulator — started here, or the one another Facteur process already runs for this data dir.
 */
export async function resolveChorusInstallation(deps: {
  config: Config;
  recognizer: Recognizer;
  logger: Logger;
  now: () => Date;
}): Promise<ChorusInstallation> {
  const { config, logger } = deps;
  const chorus = { ...config.chorus };
  let simulator: RunningSimulator | undefined;
  let clientId = chorus.pisteClientId;
  let clientSecret = chorus.pisteClientSecret;
  if (chorus.env === 'simulator') {
    if (!chorus.apiUrl) {
      try {
        simulator = await startSimulator({
          recognizer: deps.recognizer,
          dataDir: path.join(config.dataDir, 'simulator'),
          logger,
          clock: deps.now,
          ...(chorus.simulatorSpeed ? { speed: chorus.simulatorSpeed } : {}),
          ...(chorus.simulatorBuyers ? { realisticBuyers: true } : {}),
        });
      } catch (error) {
        // Another Facteur process (`facteur start` beside `facteur chat`) runs this data dir's
        // simulator: talk to it rather than fail.
        if (!(error instanceof SimulatorBusyError) || !error.url) throw error;
        logger.info({ url: error.url, pid: error.pid }, 'using the simulator of another Facteur process');
        chorus.apiUrl = `${error.url.replace(/\/+$/, '')}/cpro`;
        chorus.oauthUrl = `${error.url.replace(/\/+$/, '')}/api/oauth/token`;
      }
      if (simulator) {
        for (const fault of chorus.simulatorFaults) simulator.injectFault(fault);
        chorus.apiUrl = simulator.apiUrl;
        chorus.oauthUrl = simulator.oauthUrl;
      }
    } else {
      chorus.oauthUrl ??= `${new URL(chorus.apiUrl).origin}/api/oauth/token`;
    }
    clientId ??= SIMULATOR_DEFAULTS.clientId;
    clientSecret ??= SIMULATOR_DEFAULTS.clientSecret;
  }
  if (!chorus.apiUrl || !chorus.oauthUrl || !clientId || !clientSecret) {
    await simulator?.stop();
    throw new Error('Chorus Pro installation incomplete after configuration');
  }
  const fallback = technicalCredentials(chorus);
  return {
    env: chorus.env,
    apiUrl: chorus.apiUrl,
    oauthUrl: chorus.oauthUrl,
    clientId,
    clientSecret,
    ...(simulator ? { simulator } : {}),
    ...(fallback ? { fallback } : {}),
  };
}
