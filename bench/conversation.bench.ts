/**
 * End-to-end conversations (machine + store + recognition + simulator over HTTP; no terminal):
 * full deposits per second, sequential and with 4 users at once, the latency of one typed answer,
 * and what 1,000 open drafts cost (process memory, database size, listing and maintenance time).
 */
import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, TERMINAL_IDENTITY, type App } from '../src/app/create-app.js';
import { createConfig } from '../src/config/schema.js';
import type { ChannelIdentity } from '../src/machine/conversation-port.js';
import { createSilentLogger } from '../src/shared/logger.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
let seq = 0;

async function deposit(app: App, who: ChannelIdentity, pdf: Uint8Array, latencies: number[]): Promise<void> {
  const first = await app.conversations.handle(who, {
    type: 'file',
    fileName: 'facture.pdf',
    mimeType: 'application/pdf',
    bytes: pdf,
  });
  const draftId = first.views[0]!.draftId!;
  const say = async (text: string) => {
    const t = performance.now();
    const r = await app.conversations.handle(who, { type: 'text', text }, { draftId });
    latencies.push(performance.now() - t);
    return r;
  };
  await say(`numero BENCH-${process.pid}-${++seq}`);
  for (let i = 0; i < 5; i++) await say('ok');
  const r = await app.conversations.handle(who, { type: 'text', text: 'confirmer' }, { draftId });
  if (r.views[r.views.length - 1]!.kind !== 'receipt')
    throw new Error(`no receipt: ${JSON.stringify(r.views.map((v) => v.lines))}`);
}

export default async function bench(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'facteur-bench-'));
  const app = await createApp(createConfig({ FACTEUR_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
    logger: createSilentLogger(),
    withChannels: false,
  });
  try {
    await app.start();
    const pdf = new Uint8Array(await readFile(new URL('../examples/facture-exemple.pdf', import.meta.url)));
    const account = (await app.store.identities.findAccount(TERMINAL_IDENTITY))!;
    const users: ChannelIdentity[] = [];
    for (let i = 1; i <= 4; i++) {
      const who = { channel: 'telegram' as const, userId: String(1000 + i) };
      await app.store.identities.link(account.id, who);
      users.push(who);
    }
    const latencies: number[] = [];
    await deposit(app, TERMINAL_IDENTITY, pdf, []); // warm-up (workers, tokens, JIT)

    const sequential: number[] = [];
    for (let run = 0; run < 3; run++) {
      const n = 8;
      const t = performance.now();
      for (let i = 0; i < n; i++) await deposit(app, TERMINAL_IDENTITY, pdf, latencies);
      sequential.push((n * 1000) / (performance.now() - t));
    }
    const parallel: number[] = [];
    for (let run = 0; run < 3; run++) {
      const perUser = 3;
      const t = performance.now();
      await Promise.all(
        users.map(async (u) => {
          for (let i = 0; i < perUser; i++) await deposit(app, u, pdf, latencies);
        }),
      );
      parallel.push((users.length * perUser * 1000) / (performance.now() - t));
    }
    console.log(
      `full conversations (PDF → 6 answers → deposit + receipt), sequential: ${median(sequential).toFixed(2)} /s (median of 3 runs of 8)`,
    );
    console.log(
      `full conversations, 4 users at once:                         ${median(parallel).toFixed(2)} /s (median of 3 runs of 12)`,
    );
    console.log(
      `one typed answer (restore + event + save), median:           ${median(latencies).toFixed(1)} ms over ${latencies.length}`,
    );

    // 1,000 open drafts: the service keeps none in memory; each lives in the store as a snapshot.
    const sample = await app.conversations.handle(TERMINAL_IDENTITY, {
      type: 'file',
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
    });
    const record = (await app.store.conversations.get(sample.views[0]!.draftId!))!;
    const dbFile = path.join(dir, 'facteur.db');
    const sizeOf = async () =>
      (await stat(dbFile)).size +
      (await stat(`${dbFile}-wal`).then(
        (s) => s.size,
        () => 0,
      ));
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const dbBefore = await sizeOf();
    const memories: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      await app.store.conversations.create({
        accountId: account.id,
        startedBy: TERMINAL_IDENTITY,
        snapshot: record.snapshot,
        machineVersion: record.machineVersion,
        makeCurrent: false,
      });
    }
    const createMs = performance.now() - t0;
    gc();
    memories.push(process.memoryUsage().heapUsed - heapBefore);
    const t1 = performance.now();
    await app.conversations.handle(TERMINAL_IDENTITY, { type: 'text', text: 'brouillons' });
    const listMs = performance.now() - t1;
    const t2 = performance.now();
    await app.conversations.runMaintenance();
    const maintenanceMs = performance.now() - t2;
    const t3 = performance.now();
    await app.conversations.handle(TERMINAL_IDENTITY, { type: 'text', text: 'ok' }, { draftId: record.id });
    const eventMs = performance.now() - t3;
    const dbDelta = (await sizeOf()) - dbBefore;
    const heap = Math.max(0, median(memories));
    console.log(
      `1,000 open drafts: process heap +${(heap / 1024 / 1024).toFixed(2)} MB (none held in memory), database +${(dbDelta / 1024 / 1024).toFixed(2)} MB (${(dbDelta / 1000 / 1024).toFixed(1)} KB per draft)`,
    );
    console.log(
      `  stored in ${createMs.toFixed(0)} ms; « brouillons » ${listMs.toFixed(0)} ms; reminder/expiry pass ${maintenanceMs.toFixed(0)} ms; one answer among them ${eventMs.toFixed(0)} ms`,
    );
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
