import { join } from 'node:path';
import type { ChorusConfig } from '../config/chorus-env.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Recognizer } from '../recognition/types.js';
import { createChorusClientFactory, type ChorusClient, type ChorusInstallation } from './client.js';
import { createDepositService } from './deposit-service.js';
import type { ChorusCredentials, DepositService } from './port.js';
import {
  SIMULATOR_DEFAULTS,
  SimulatorBusyError,
  startSimulator,
  type RunningSimulator,
} from './simulator/index.js';

export interface ChorusEnvironment {
  service: DepositService;
  clientFor: (creds: ChorusCredentials) => ChorusClient;
  /** The technical account from the configuration (demo account in simulator mode), if any. */
  credentials?: ChorusCredentials;
  installation: ChorusInstallation;
  /** Set when the embedded simulator was started for this environment. */
  simulator?: RunningSimulator;
  /** A short French description (« simulateur intégré », « Chorus Pro (qualification) »…). */
  label: string;
  close(): Promise<void>;
}

export interface OpenChorusOptions {
  chorus: ChorusConfig;
  /** FACTEUR_DATA_DIR: the embedded simulator keeps its state in `<dataDir>/simulator`. */
  dataDir: string;
  /** Needed only when the embedded simulator starts (it answers `deposer/pdf` with it). */
  recognizer: () => Recognizer;
  logger?: Logger;
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

const LABELS = {
  sandbox: 'Chorus Pro (qualification, PISTE sandbox)',
  production: 'Chorus Pro (production)',
} as const;

/**
 * The configured Chorus Pro: sandbox/production through PISTE, a simulator at CHORUS_API_URL, or —
 * with nothing configured — the embedded simulator started in-process (random port, state kept in
 * the data directory so a later command sees earlier invoices). Used by the CLI commands.
 */
export async function openChorusEnvironment(options: OpenChorusOptions): Promise<ChorusEnvironment> {
  const { chorus, logger } = options;
  let simulator: RunningSimulator | undefined;
  let apiUrl = chorus.apiUrl;
  let oauthUrl = chorus.oauthUrl;
  let clientId = chorus.pisteClientId;
  let clientSecret = chorus.pisteClientSecret;
  let label: string;
  let ownRecognizer: Recognizer | undefined;

  if (chorus.env === 'simulator') {
    if (!apiUrl) {
      ownRecognizer = lazyRecognizer(options.recognizer);
      try {
        simulator = await startSimulator({
          recognizer: ownRecognizer,
          dataDir: join(options.dataDir, 'simulator'),
          logger,
        });
        apiUrl = simulator.apiUrl;
        oauthUrl = simulator.oauthUrl;
        label = 'simulateur Chorus Pro intégré';
      } catch (error) {
        // Another Facteur process (facteur start…) runs the embedded simulator on this data: use it.
        if (!(error instanceof SimulatorBusyError) || !error.url) throw error;
        await ownRecognizer.close();
        ownRecognizer = undefined;
        apiUrl = `${error.url}/cpro`;
        oauthUrl = `${error.url}/api/oauth/token`;
        label = `simulateur Chorus Pro intégré (processus ${error.pid})`;
      }
    } else {
      oauthUrl ??= `${new URL(apiUrl).origin}/api/oauth/token`;
      label = `simulateur Chorus Pro (${new URL(apiUrl).host})`;
    }
    clientId ??= SIMULATOR_DEFAULTS.clientId;
    clientSecret ??= SIMULATOR_DEFAULTS.clientSecret;
  } else {
    label = LABELS[chorus.env];
  }
  if (!apiUrl || !oauthUrl || !clientId || !clientSecret) {
    throw new ConfigError(
      'PISTE_CLIENT_ID, PISTE_CLIENT_SECRET, CHORUS_API_URL et PISTE_OAUTH_URL sont nécessaires',
    );
  }

  const installation: ChorusInstallation = { apiUrl, oauthUrl, clientId, clientSecret, logger };
  const clientFor = createChorusClientFactory(installation);
  const credentials = technicalCredentials(chorus);
  return {
    service: createDepositService({ clientFor, logger }),
    clientFor,
    credentials,
    installation,
    simulator,
    label,
    async close() {
      await simulator?.stop();
      await ownRecognizer?.close();
    },
  };
}

/** Starts the recognition engine (worker threads) only when a PDF is actually deposited. */
export function lazyRecognizer(create: () => Recognizer): Recognizer {
  let real: Recognizer | undefined;
  const get = () => (real ??= create());
  return {
    inspect: (bytes, fileName) => get().inspect(bytes, fileName),
    renderPreview: (bytes, report, options) => get().renderPreview(bytes, report, options),
    validateFacturx: (bytes, report) => get().validateFacturx(bytes, report),
    close: async () => {
      await real?.close();
    },
  };
}
