import type { Logger } from '../shared/logger.js';
import { StoreUnavailableError } from './errors.js';
import type { Dialect, SqlDriver } from './sql/driver.js';
import { FOLLOW_UP_MIGRATIONS } from './migrations-follow-up.js';

/**
 * The database schema, versioned in code: an ordered list, never edited once released (add a new
 * version instead). `schema_migrations` records what was applied. Times are integer milliseconds
 * since the epoch in both back-ends (ISO strings are made in the store).
 */
export interface Migration {
  version: number;
  name: string;
  sql(dialect: Dialect): string;
}

const types = (d: Dialect) => ({
  bytes: d === 'postgres' ? 'BYTEA' : 'BLOB',
  serial:
    d === 'postgres'
      ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
      : 'INTEGER PRIMARY KEY AUTOINCREMENT',
});

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, conversations, files, deposits, audit, channel state',
    sql: (d) => {
      const t = types(d);
      return `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  chorus_login TEXT,
  chorus_secret TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE identities (
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  linked_at BIGINT NOT NULL,
  PRIMARY KEY (channel, user_id)
);
CREATE INDEX identities_account ON identities(account_id);
CREATE TABLE invites (
  code_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by TEXT
);
CREATE INDEX invites_account ON invites(account_id);
CREATE TABLE provisional_sequences (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  last_value INTEGER NOT NULL,
  PRIMARY KEY (account_id, year)
);
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  started_channel TEXT NOT NULL,
  started_user_id TEXT NOT NULL,
  provisional_year INTEGER NOT NULL,
  provisional_seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  machine_version INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_activity_at BIGINT NOT NULL,
  reminder_sent_at BIGINT,
  UNIQUE (account_id, provisional_year, provisional_seq)
);
CREATE INDEX conversations_account ON conversations(account_id, created_at);
CREATE INDEX conversations_starter ON conversations(started_channel, started_user_id, created_at);
CREATE INDEX conversations_activity ON conversations(status, last_activity_at);
CREATE TABLE applied_events (
  idempotency_key TEXT PRIMARY KEY,
  conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
  revision INTEGER,
  result TEXT NOT NULL,
  applied_at BIGINT NOT NULL
);
CREATE INDEX applied_events_conversation ON applied_events(conversation_id);
CREATE INDEX applied_events_age ON applied_events(applied_at);
CREATE TABLE current_drafts (
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (channel, user_id)
);
CREATE INDEX current_drafts_conversation ON current_drafts(conversation_id);
CREATE TABLE files (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
  conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  data ${t.bytes}
);
CREATE INDEX files_conversation ON files(conversation_id);
CREATE INDEX files_account ON files(account_id);
CREATE TABLE deposits (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  invoice_number TEXT NOT NULL,
  invoice_date TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  completed_at BIGINT,
  receipt TEXT,
  receipt_file_id TEXT,
  error TEXT
);
CREATE INDEX deposits_account ON deposits(account_id, started_at);
CREATE INDEX deposits_state ON deposits(state);
CREATE TABLE audit_log (
  id ${t.serial},
  at BIGINT NOT NULL,
  actor_channel TEXT,
  actor_user_id TEXT,
  action TEXT NOT NULL,
  account_id TEXT,
  conversation_id TEXT,
  details TEXT
);
CREATE INDEX audit_account ON audit_log(account_id, id);
CREATE INDEX audit_conversation ON audit_log(conversation_id, id);
CREATE TABLE channel_state (
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX channel_state_age ON channel_state(namespace, updated_at);
`;
    },
  },
  {
    version: 10,
    name: 'flux deposits (Factur-X through deposer/flux, followed until integrated or rejected)',
    sql: () => `
CREATE TABLE flux_deposits (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  flux_number TEXT,
  invoice_number TEXT NOT NULL,
  invoice_date TEXT NOT NULL,
  file_name TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  deposited_at BIGINT,
  updated_at BIGINT NOT NULL,
  chorus_state TEXT,
  reasons TEXT
);
CREATE INDEX flux_deposits_state ON flux_deposits(state, updated_at);
CREATE INDEX flux_deposits_account ON flux_deposits(account_id, started_at);
`,
  },
  ...FOLLOW_UP_MIGRATIONS,
];

/**
 * Applies the missing migrations in one transaction, holding a lock so two processes starting
 * together apply each version once (SQLite: the write lock of `BEGIN IMMEDIATE`; PostgreSQL: a
 * transaction-scoped advisory lock per schema). Resolves the versions it applied.
 */
export async function migrate(
  db: SqlDriver,
  options: { logger?: Logger; now?: () => Date; migrations?: readonly Migration[] } = {},
): Promise<number[]> {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? (() => new Date());
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') {
      await tx.one(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':facteur-migrations'))`);
    }
    await tx.script(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const rows = await tx.all<{ version: number | string }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const newer = [...applied].filter((v) => v > latest);
    if (newer.length > 0) {
      throw new StoreUnavailableError(
        `la base est au schéma ${Math.max(...newer)}, plus récent que ce Facteur (${latest}) : mettez Facteur à jour`,
      );
    }
    const done: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await tx.script(m.sql(tx.dialect));
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        now().getTime(),
      ]);
      options.logger?.info({ version: m.version, migration: m.name }, 'store migration applied');
      done.push(m.version);
    }
    return done;
  });
}
