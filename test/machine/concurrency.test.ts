/**
 * Two conversation services on one PostgreSQL database (as two Facteur processes would be):
 * events to the same draft from both are each applied exactly once, none lost, none doubled.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, TERMINAL_IDENTITY, type App } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { createBackend, TEST_KEY, type Backend } from '../store/helpers.js';

const recognizer = createRecognizer({ poolSize: 1 });
let backend: Backend;
let dir: string;
let a: App;
let b: App;

beforeAll(async () => {
  backend = await createBackend('postgres');
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-concurrency-'));
  const env = { DATABASE_URL: backend.databaseUrl!, FACTEUR_SECRET_KEY: TEST_KEY };
  a = await createApp(createConfig({ ...env, FACTEUR_DATA_DIR: path.join(dir, 'a') }), {
    logger: createSilentLogger(),
    recognizer,
    withChannels: false,
  });
  await a.start();
  b = await createApp(
    createConfig({ ...env, FACTEUR_DATA_DIR: path.join(dir, 'b'), CHORUS_API_URL: a.simulator!.apiUrl }),
    {
      logger: createSilentLogger(),
      recognizer,
      withChannels: false,
    },
  );
  await b.start();
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await recognizer.close();
  await backend?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('two services on one PostgreSQL database', () => {
  it('applies every event to a draft exactly once, whichever process receives it', async () => {
    const pdf = new Uint8Array(await readFile('examples/facture-exemple.pdf'));
    const me = TERMINAL_IDENTITY;
    const start = await a.conversations.handle(me, {
      type: 'file',
      fileName: 'f.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
    });
    const draftId = start.views[0]!.draftId!;
    const before = (await a.store.conversations.get(draftId))!.revision;
    const services = [a.conversations, b.conversations];
    const events = Array.from({ length: 12 }, (_, i) => ({ key: `concurrent:${i}`, text: `numero C-${i}` }));
    const results = await Promise.all(
      events.map((e, i) =>
        services[i % 2]!.handle(me, { type: 'text', text: e.text }, { draftId, idempotencyKey: e.key }),
      ),
    );
    expect(results.every((r) => r.views.every((v) => v.kind !== 'error'))).toBe(true);
    const after = (await a.store.conversations.get(draftId))!;
    expect(after.revision).toBe(before + events.length);
    const replays = await Promise.all(
      events.map((e, i) =>
        services[(i + 1) % 2]!.handle(me, { type: 'text', text: e.text }, { draftId, idempotencyKey: e.key }),
      ),
    );
    expect(replays.every((r) => r.duplicate === true)).toBe(true);
    expect((await b.store.conversations.get(draftId))!.revision).toBe(after.revision);
  });
});
