import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, DEMO_ACCOUNT_NAME, TERMINAL_IDENTITY } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { startSimulator } from '../../src/deposit/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const recognizer = createRecognizer({ poolSize: 1 });
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-app-'));
});
afterAll(async () => {
  await recognizer.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createApp', () => {
  it('builds every part on the embedded defaults, with the demo account linked to the terminal', async () => {
    const app = await createApp(createConfig({ FACTEUR_DATA_DIR: path.join(dir, 'a') }), {
      logger: createSilentLogger(),
      recognizer,
    });
    try {
      expect(app.store.kind).toBe('sqlite');
      expect(app.simulator?.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cpro$/);
      expect(app.channels).toEqual([]);
      const warmUps = vi.spyOn(recognizer, 'warmUp');
      await app.start();
      // The recognition workers are warmed up by the start, once.
      expect(warmUps).toHaveBeenCalledTimes(1);
      warmUps.mockRestore();
      const account = await app.store.identities.findAccount(TERMINAL_IDENTITY);
      expect(account?.name).toBe(DEMO_ACCOUNT_NAME);
      expect(await app.store.accounts.credentials(account!.id)).toEqual({ login: 'demo', password: 'demo' });
      const suppliers = await app.deposit.supplierStructures({ login: 'demo', password: 'demo' });
      expect(suppliers.map((s) => s.siret)).toContain('91234567500017');
      expect(await app.conversations.isAllowed(TERMINAL_IDENTITY)).toBe(true);
    } finally {
      await app.stop();
      await app.stop();
    }
    // Twice on the same data dir: the demo account is reused, not duplicated.
    const again = await createApp(createConfig({ FACTEUR_DATA_DIR: path.join(dir, 'a') }), {
      logger: createSilentLogger(),
      recognizer,
    });
    expect((await again.store.accounts.list()).map((a) => a.name)).toEqual([DEMO_ACCOUNT_NAME]);
    await again.stop();
  });

  it('uses an external simulator given by CHORUS_API_URL instead of starting one', async () => {
    const sim = await startSimulator({ recognizer });
    try {
      const app = await createApp(
        createConfig({ FACTEUR_DATA_DIR: path.join(dir, 'b'), CHORUS_API_URL: sim.apiUrl }),
        {
          logger: createSilentLogger(),
          recognizer,
        },
      );
      try {
        expect(app.simulator).toBeUndefined();
        const found = await app.deposit.searchStructures(
          { login: 'demo', password: 'demo' },
          '21330063500017',
        );
        expect(found[0]?.name).toBe('Commune de Saint-Aubin-sur-Garonne');
      } finally {
        await app.stop();
      }
    } finally {
      await sim.stop();
    }
  });

  it('closes what it opened when a part fails to start', async () => {
    const config = createConfig({
      FACTEUR_DATA_DIR: path.join(dir, 'c'),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    await expect(createApp(config, { logger: createSilentLogger(), recognizer })).rejects.toMatchObject({
      code: 'store-unavailable',
    });
  });
});
