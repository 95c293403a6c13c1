import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import { createAccountStore } from './accounts.js';
import { createAuditStore } from './audit.js';
import { createChannelStateStore } from './channel-state.js';
import type { StoreContext } from './context.js';
import { createConversationStore } from './conversations.js';
import { createDepositStore } from './deposits.js';
import { createFluxDepositStore } from './flux-deposits.js';
import { StoreUnavailableError } from './errors.js';
import { createFileStore } from './files.js';
import { createFollowUpStore } from './follow-ups.js';
import { createOutboxStore } from './outbox.js';
import { createIdentityStore } from './identities.js';
import { createInviteStore } from './invites.js';
import { migrate } from './migrations.js';
import { createSecretBox, loadSecretKey } from './secret-box.js';
import type { SqlDriver } from './sql/driver.js';
import { openPostgres } from './sql/postgres-driver.js';
import { openSqlite } from './sql/sqlite-driver.js';
import type { Store } from './types.js';

export interface StoreDeps {
  /** FACTEUR_DATA_DIR: holds `facteur.db` and `files/` (SQLite) and the generated `secret.key`. */
  dataDir: string;
  /** DATABASE_URL: PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** FACTEUR_SECRET_KEY (32 bytes, base64 or hex); else the key file of the data dir. */
  secretKey?: string;
  logger?: Logger;
  now?: () => Date;
}

export const SQLITE_FILE_NAME = 'facteur.db';

/**
 * Opens the store — PostgreSQL when `databaseUrl` is set, else SQLite in `dataDir` — and applies
 * the pending migrations (safe when several processes start together).
 */
export async function createStore(deps: StoreDeps): Promise<Store> {
  const logger = deps.logger?.child({ component: 'store' });
  const dataDir = path.resolve(deps.dataDir);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'erreur';
    throw new StoreUnavailableError(`dossier de données ${dataDir} inutilisable (${code})`, { cause: error });
  }
  const key = await loadSecretKey({ secretKey: deps.secretKey, dataDir, logger });
  const kind = deps.databaseUrl ? 'postgres' : 'sqlite';

  let db: SqlDriver;
  try {
    if (deps.databaseUrl) {
      db = await openPostgres(deps.databaseUrl, { logger });
    } else {
      db = openSqlite(path.join(dataDir, SQLITE_FILE_NAME));
    }
  } catch (error) {
    const where = deps.databaseUrl
      ? 'PostgreSQL (DATABASE_URL) injoignable'
      : `impossible d’ouvrir ${dataDir}`;
    throw new StoreUnavailableError(`${where} : ${(error as Error).message}`, { cause: error });
  }

  try {
    await migrate(db, { logger, now: deps.now });
  } catch (error) {
    await db.close();
    throw error;
  }

  const ctx: StoreContext = {
    db,
    now: deps.now ?? (() => new Date()),
    box: createSecretBox(key),
    ...(kind === 'sqlite' ? { filesDir: path.join(dataDir, 'files') } : {}),
    logger,
  };
  logger?.debug({ kind }, 'store opened');
  return {
    kind,
    accounts: createAccountStore(ctx),
    identities: createIdentityStore(ctx),
    invites: createInviteStore(ctx),
    conversations: createConversationStore(ctx),
    files: createFileStore(ctx),
    deposits: createDepositStore(ctx),
    fluxDeposits: createFluxDepositStore(ctx),
    audit: createAuditStore(ctx),
    channelState: createChannelStateStore(ctx),
    followUps: createFollowUpStore(ctx),
    outbox: createOutboxStore(ctx),
    close: () => db.close(),
  };
}
