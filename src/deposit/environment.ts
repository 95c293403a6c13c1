import type { ChorusConfig } from '../config/chorus-env.js';
import type { Logger } from '../shared/logger.js';
import type { Recognizer } from '../recognition/types.js';
import { resolveChorus } from './chorus-resolution.js';
import { createChorusClientFactory, type ChorusClient, type ChorusInstallation } from './client.js';
import { createDepositService } from './deposit-service.js';
import type { ChorusCredentials, DepositService } from './port.js';
import type { RunningSimulator } from './simulator/index.js';

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
 * The configured Chorus Pro (see `resolveChorus`: sandbox/production through PISTE, a simulator
 * at CHORUS_API_URL, the embedded simulator started in-process — random port, state kept in the
 * data directory so a later command sees earlier invoices — or another process's) with a client
 * and a deposit service on it. Used by the CLI commands; the recognition engine starts only if
 * the embedded simulator reads a PDF.
 */
export async function openChorusEnvironment(options: OpenChorusOptions): Promise<ChorusEnvironment> {
  const { logger } = options;
  // Created on first use: only an embedded simulator started here reads PDFs with it.
  const recognizer = lazyRecognizer(options.recognizer);
  const chorus = await resolveChorus({ ...options, recognizer });
  const { apiUrl, oauthUrl, clientId, clientSecret, simulator } = chorus;
  const installation: ChorusInstallation = { apiUrl, oauthUrl, clientId, clientSecret, logger };
  const clientFor = createChorusClientFactory(installation);
  return {
    service: createDepositService({ clientFor, logger }),
    clientFor,
    credentials: chorus.fallback,
    installation,
    simulator,
    label: chorus.label,
    async close() {
      await simulator?.stop();
      await recognizer.close();
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
