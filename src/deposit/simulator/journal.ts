import { open, mkdir, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import {
  emptyState,
  fluxSchema,
  invoiceSchema,
  pieceSchema,
  stateSchema,
  type Piece,
  type SimFlux,
  type SimInvoice,
  type SimRecord,
  type SimState,
  type StateStore,
} from './store.js';

/**
 * The simulator's state on disk, written incrementally: `state.json` is a snapshot (the format
 * the simulator always had) and `state.journal` holds, one JSON line each, the records added or
 * changed since, and the counters when they moved. A batch of changes costs one append of its own
 * records, whatever the number of invoices; the snapshot is rewritten (temp file + rename, then
 * the journal emptied) when the journal outgrows the state, and at close. Loading replays the
 * journal over the snapshot (upserts by id; counters only grow, so a replayed line never moves
 * one back). A torn last line — a crash while appending, never acknowledged — is ignored.
 */

const KINDS = ['pieces', 'invoices', 'fluxes'] as const;
type Kind = (typeof KINDS)[number];
type Meta = Pick<
  SimState,
  'nextPieceId' | 'nextInvoiceId' | 'nextHistoryId' | 'clockOffsetMs' | 'nextFluxSeq'
>;
const META_KEYS = ['nextPieceId', 'nextInvoiceId', 'nextHistoryId', 'clockOffsetMs', 'nextFluxSeq'] as const;

/** Journal lines before a snapshot: at least this many, and at least twice the records held. */
const MIN_LINES_BEFORE_SNAPSHOT = 2_000;

function kindOf(record: SimRecord): Kind {
  if ('history' in record) return 'invoices';
  if ('verdict' in record) return 'fluxes';
  return 'pieces';
}

const keyOf = (kind: Kind, record: SimRecord): string | number =>
  kind === 'fluxes' ? (record as SimFlux).number : (record as Piece | SimInvoice).id;

function metaOf(state: SimState): Meta {
  const m = {} as Meta;
  for (const k of META_KEYS) m[k] = state[k];
  return m;
}

/** Applies the journal's lines to `state`; returns how many were applied. */
function replay(state: SimState, text: string, file: string): number {
  const index: Record<Kind, Map<string | number, number>> = {
    pieces: new Map(state.pieces.map((r, i) => [r.id, i])),
    invoices: new Map(state.invoices.map((r, i) => [r.id, i])),
    fluxes: new Map(state.fluxes.map((r, i) => [r.number, i])),
  };
  const upsert = <T extends SimRecord>(kind: Kind, list: T[], record: T) => {
    const key = keyOf(kind, record);
    const at = index[kind].get(key);
    if (at === undefined) {
      index[kind].set(key, list.length);
      list.push(record);
    } else list[at] = record;
  };
  const lines = text.split('\n');
  let applied = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      // Only the last line can be torn (a crash while appending it).
      if (lines.slice(n + 1).every((l) => l === '')) break;
      throw new Error(`journal du simulateur illisible (${file}, ligne ${n + 1})`, { cause: error });
    }
    if ('meta' in entry) {
      const meta = stateSchema
        .pick({
          nextPieceId: true,
          nextInvoiceId: true,
          nextHistoryId: true,
          clockOffsetMs: true,
          nextFluxSeq: true,
        })
        .parse(entry.meta);
      for (const k of META_KEYS) state[k] = Math.max(state[k], meta[k]);
    } else if ('pieces' in entry) upsert('pieces', state.pieces, pieceSchema.parse(entry.pieces));
    else if ('invoices' in entry) upsert('invoices', state.invoices, invoiceSchema.parse(entry.invoices));
    else if ('fluxes' in entry) upsert('fluxes', state.fluxes, fluxSchema.parse(entry.fluxes));
    else throw new Error(`journal du simulateur : ligne ${n + 1} inconnue (${file})`);
    applied++;
  }
  return applied;
}

export async function openJournal(dataDir: string, logger: Logger): Promise<StateStore> {
  await mkdir(join(dataDir, 'pieces'), { recursive: true });
  const file = join(dataDir, 'state.json');
  const journalFile = join(dataDir, 'state.journal');
  let state = emptyState();
  let hasSnapshot = false;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`état du simulateur illisible (${file}) : ${parsed.error.message}`);
    state = parsed.data;
    hasSnapshot = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let journalLines = 0;
  try {
    journalLines = replay(state, await readFile(journalFile, 'utf8'), journalFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (hasSnapshot || journalLines > 0)
    logger.info({ invoices: state.invoices.length, journalLines, file }, 'simulator state loaded');

  const written: Record<Kind, number> = {
    pieces: state.pieces.length,
    invoices: state.invoices.length,
    fluxes: state.fluxes.length,
  };
  let writtenMeta = JSON.stringify(metaOf(state));
  const dirty = new Set<SimRecord>();
  /** Records already in the state files. */
  const known = new WeakSet<SimRecord>(KINDS.flatMap((kind) => state[kind] as SimRecord[]));
  let journal: FileHandle | undefined;

  /** Rewrites the snapshot from the state in memory, then empties the journal. */
  async function snapshot(): Promise<void> {
    const tmp = `${file}.${process.pid}.tmp`;
    for (const kind of KINDS) {
      for (let i = written[kind]; i < store.state[kind].length; i++) known.add(store.state[kind][i]!);
      written[kind] = store.state[kind].length;
    }
    dirty.clear();
    writtenMeta = JSON.stringify(metaOf(store.state));
    await writeFile(tmp, JSON.stringify(store.state));
    await rename(tmp, file);
    hasSnapshot = true;
    if (journalLines > 0 || journal) {
      journal ??= await open(journalFile, 'a');
      await journal.truncate(0);
    }
    journalLines = 0;
  }

  /** The journal lines of what changed since the last write (serialised now, in this tick). */
  function changes(): string[] {
    const lines: string[] = [];
    for (const kind of KINDS) {
      const list = store.state[kind] as SimRecord[];
      for (let i = written[kind]; i < list.length; i++) {
        lines.push(JSON.stringify({ [kind]: list[i] }));
        known.add(list[i]!);
        dirty.delete(list[i]!);
      }
      written[kind] = list.length;
    }
    // A touched record not in the state yet is written as a new one once it is added.
    for (const record of dirty)
      if (known.has(record)) lines.push(JSON.stringify({ [kindOf(record)]: record }));
    dirty.clear();
    const meta = JSON.stringify(metaOf(store.state));
    if (meta !== writtenMeta) lines.push(`{"meta":${meta}}`);
    writtenMeta = meta;
    return lines;
  }

  function records(): number {
    return store.state.pieces.length + store.state.invoices.length + store.state.fluxes.length;
  }

  let pending = 0;
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  const waiters: Array<{ version: number; resolve: () => void; reject: (e: unknown) => void }> = [];

  // One write at a time; changes made during a write are picked up by the next one.
  async function writeOnce(): Promise<void> {
    scheduled = false;
    const version = pending;
    let failure: unknown;
    try {
      if (!hasSnapshot || journalLines >= Math.max(MIN_LINES_BEFORE_SNAPSHOT, 2 * records())) {
        await snapshot();
      } else {
        const lines = changes();
        if (lines.length > 0) {
          journal ??= await open(journalFile, 'a');
          await journal.appendFile(lines.join('\n') + '\n');
          journalLines += lines.length;
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'simulator state write failed');
      // Nothing is known to be on disk: the next write takes a whole snapshot.
      hasSnapshot = false;
      failure = error;
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.version > version) continue;
      waiters.splice(i, 1);
      if (failure) w.reject(failure);
      else w.resolve();
    }
  }

  const store: StateStore = {
    state,
    touch(...changed) {
      for (const record of changed) dirty.add(record);
    },
    persist() {
      pending++;
      const version = pending;
      const done = new Promise<void>((resolve, reject) => waiters.push({ version, resolve, reject }));
      if (!scheduled) {
        scheduled = true;
        chain = chain.then(writeOnce);
      }
      return done;
    },
    piecePath: (id) => join(dataDir, 'pieces', `${id}.pdf`),
    async close() {
      await chain;
      try {
        // A tidy folder for the next start: the whole state in the snapshot, the journal empty.
        if (journalLines > 0 || dirty.size > 0) await snapshot();
      } catch (error) {
        logger.error({ err: error }, 'simulator state snapshot at close failed');
      }
      await journal?.close();
      journal = undefined;
    },
  };
  return store;
}
