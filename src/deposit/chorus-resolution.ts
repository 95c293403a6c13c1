import { join } from 'node:path';
import type { ChorusConfig } from '../config/chorus-env.js';
import type { Recognizer } from '../recognition/types.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ChorusCredentials } from './port.js';
import {
  SIMULATOR_DEFAULTS,
  SimulatorBusyError,
  startSimulator,
  type RunningSimulator,
} from './simulator/index.js';

/**
 * Which Chorus Pro Facteur talks to, decided in one place for the app (`facteur start`, `facteur
 * chat`) and the one-shot CLI commands (`deposit`, `structures`): the configured platform
 * (sandbox/production through PISTE, or a simulator at CHORUS_API_URL), or with nothing configured
 * the embedded simulator — started here, or the one another Facteur process already runs for
 * this data directory (its lock and owner.json name it), so two processes share one state.
 */

/** Where Chorus Pro is reached, with the PISTE application and the fallback technical account. */
export interface ChorusResolution {
  env: ChorusConfig['env'];
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  /** The embedded simulator this process started (its owner stops it). */
  simulator?: RunningSimulator;
  /** The process whose embedded simulator is used instead of starting one. */
  otherProcess?: { pid: number; url: string };
  /** The technical account used when a Facteur account has no Chorus Pro credentials of its own. */
  fallback?: ChorusCredentials;
  /** A short French description (« simulateur intégré », « Chorus Pro (qualification) »…). */
  label: string;
}

export interface ResolveChorusOptions {
  chorus: ChorusConfig;
  /** FACTEUR_DATA_DIR: the embedded simulator keeps its state in `<dataDir>/simulator`. */
  dataDir: string;
  /** What the embedded simulator answers `deposer/pdf` with (used only if it starts). */
  recognizer: Recognizer;
  logger?: Logger;
  /**
   * The long-running app starts the embedded simulator on its clock with the configured speed,
   * buyers and faults; without this (one-shot CLI commands) it starts plain on the real clock.
   */
  tuned?: { clock: () => Date };
}

/**
 * The technical account used when a Facteur account has no Chorus Pro credentials of its own: the
 * configured one, or the embedded simulator's demo login in simulator mode.
 */
export function technicalCredentials(chorus: ChorusConfig): ChorusCredentials | undefined {
  if (chorus.techLogin && chorus.techPassword)
    return { login: chorus.techLogin, password: chorus.techPassword };
  return chorus.env === 'simulator'
    ? { login: SIMULATOR_DEFAULTS.login, password: SIMULATOR_DEFAULTS.password }
    : undefined;
}

const PLATFORM_LABELS = {
  sandbox: 'Chorus Pro (qualification, PISTE sandbox)',
  production: 'Chorus Pro (production)',
} as const;

type Endpoint = Pick<ChorusResolution, 'apiUrl' | 'oauthUrl' | 'label' | 'simulator' | 'otherProcess'>;

/** The embedded simulator: started here, or another Facteur process's for the same data. */
async function embeddedSimulator(options: ResolveChorusOptions): Promise<Endpoint> {
  const { chorus, logger, tuned } = options;
  let simulator: RunningSimulator;
  try {
    simulator = await startSimulator({
      recognizer: options.recognizer,
      dataDir: join(options.dataDir, 'simulator'),
      logger,
      ...(tuned ? { clock: tuned.clock } : {}),
      ...(tuned && chorus.simulatorSpeed ? { speed: chorus.simulatorSpeed } : {}),
      ...(tuned && chorus.simulatorBuyers ? { realisticBuyers: true } : {}),
    });
  } catch (error) {
    // Another Facteur process (`facteur start` beside `facteur chat`) runs this data dir's
    // simulator: talk to it rather than fail.
    if (!(error instanceof SimulatorBusyError) || !error.url) throw error;
    logger?.info({ url: error.url, pid: error.pid }, 'using the simulator of another Facteur process');
    const url = error.url.replace(/\/+$/, '');
    return {
      apiUrl: `${url}/cpro`,
      oauthUrl: `${url}/api/oauth/token`,
      label: `simulateur Chorus Pro intégré (processus ${error.pid})`,
      otherProcess: { pid: error.pid, url },
    };
  }
  if (tuned) for (const fault of chorus.simulatorFaults) simulator.injectFault(fault);
  return {
    apiUrl: simulator.apiUrl,
    oauthUrl: simulator.oauthUrl,
    label: 'simulateur Chorus Pro intégré',
    simulator,
  };
}

/** Resolves the Chorus Pro installation; throws a ConfigError when the configuration lacks a part. */
export async function resolveChorus(options: ResolveChorusOptions): Promise<ChorusResolution> {
  const { chorus } = options;
  let endpoint: Partial<Endpoint> & { label: string };
  let clientId = chorus.pisteClientId;
  let clientSecret = chorus.pisteClientSecret;
  if (chorus.env === 'simulator') {
    if (!chorus.apiUrl) endpoint = await embeddedSimulator(options);
    else
      endpoint = {
        apiUrl: chorus.apiUrl,
        oauthUrl: chorus.oauthUrl ?? `${new URL(chorus.apiUrl).origin}/api/oauth/token`,
        label: `simulateur Chorus Pro (${new URL(chorus.apiUrl).host})`,
      };
    clientId ??= SIMULATOR_DEFAULTS.clientId;
    clientSecret ??= SIMULATOR_DEFAULTS.clientSecret;
  } else {
    endpoint = { apiUrl: chorus.apiUrl, oauthUrl: chorus.oauthUrl, label: PLATFORM_LABELS[chorus.env] };
  }
  const { apiUrl, oauthUrl, label, simulator, otherProcess } = endpoint;
  if (!apiUrl || !oauthUrl || !clientId || !clientSecret) {
    await simulator?.stop();
    throw new ConfigError(
      'PISTE_CLIENT_ID, PISTE_CLIENT_SECRET, CHORUS_API_URL et PISTE_OAUTH_URL sont nécessaires',
    );
  }
  const fallback = technicalCredentials(chorus);
  return {
    env: chorus.env,
    apiUrl,
    oauthUrl,
    clientId,
    clientSecret,
    label,
    ...(simulator ? { simulator } : {}),
    ...(otherProcess ? { otherProcess } : {}),
    ...(fallback ? { fallback } : {}),
  };
}
