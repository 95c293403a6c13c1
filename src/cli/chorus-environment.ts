import { createConfig } from '../config/schema.js';
import { openChorusEnvironment, type ChorusEnvironment } from '../deposit/environment.js';
import { createRecognizer } from '../recognition/index.js';
import { createLogger } from '../shared/logger.js';
import type { CliIO } from './command.js';

/**
 * The Chorus Pro a one-shot command (`structures`, `deposit`) talks to: the configured
 * environment, or with nothing configured the embedded simulator (started on demand, with the
 * recognizer its `deposer/pdf` needs). Quiet unless LOG_LEVEL asks for logs.
 */
export async function openCliChorusEnvironment(io: CliIO): Promise<ChorusEnvironment> {
  const config = createConfig(io.env);
  const logger = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn' });
  return openChorusEnvironment({
    chorus: config.chorus,
    dataDir: config.dataDir,
    recognizer: () => createRecognizer({ logger }),
    logger,
  });
}
