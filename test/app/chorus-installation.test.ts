/**
 * The app (`facteur start`, `facteur chat`) and the one-shot CLI commands (`deposit`,
 * `structures`) resolve Chorus Pro with the one resolver (deposit/chorus-resolution.ts): for the
 * same environment they reach the same installation, with the same PISTE application, fallback
 * technical account and description.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveChorusInstallation } from '../../src/app/chorus-installation.js';
import { openCliChorusEnvironment } from '../../src/cli/chorus-environment.js';
import { createConfig } from '../../src/config/schema.js';
import { startSimulator, type RunningSimulator } from '../../src/deposit/index.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const recognizer = createRecognizer({ poolSize: 1 });
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-chorus-installation-'));
});
afterAll(async () => {
  await recognizer.close();
  await rm(dir, { recursive: true, force: true });
});

/** What both callers resolve, side by side: the app's installation and the CLI's environment. */
async function bothResolutions(env: Record<string, string | undefined>) {
  const app = await resolveChorusInstallation({
    config: createConfig(env),
    recognizer,
    logger: createSilentLogger(),
    now: () => new Date(),
  });
  const io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env,
    cwd: dir,
  };
  const cli = await openCliChorusEnvironment(io);
  return { app, cli };
}

/** The CLI's environment reaches what the app resolved, with the same account and description. */
function expectSameInstallation({ app, cli }: Awaited<ReturnType<typeof bothResolutions>>) {
  const { apiUrl, oauthUrl, clientId, clientSecret } = cli.installation;
  expect({ apiUrl, oauthUrl, clientId, clientSecret }).toEqual({
    apiUrl: app.apiUrl,
    oauthUrl: app.oauthUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
  });
  expect(cli.credentials).toEqual(app.fallback);
  expect(cli.label).toBe(app.label);
}

describe('Chorus Pro installation: one resolution for the app and the CLI', () => {
  it('simulator already run by its owner for this data dir: both talk to it and start none', async () => {
    const dataDir = path.join(dir, 'shared');
    // The owner (`facteur start`): it holds the data dir's lock and names its URL there.
    const owner: RunningSimulator = await startSimulator({
      recognizer,
      dataDir: path.join(dataDir, 'simulator'),
    });
    try {
      const both = await bothResolutions({ FACTEUR_DATA_DIR: dataDir });
      const { app, cli } = both;
      try {
        expect(app.simulator).toBeUndefined();
        expect(cli.simulator).toBeUndefined();
        expect(app.apiUrl).toBe(owner.apiUrl);
        expect(app.oauthUrl).toBe(owner.oauthUrl);
        expect(app.otherProcess).toEqual({ pid: process.pid, url: owner.url });
        expect(app.label).toBe(`simulateur Chorus Pro intégré (processus ${process.pid})`);
        expectSameInstallation(both);
        // The CLI's client does reach the owner's simulator with the demo account.
        const suppliers = await cli.service.supplierStructures(cli.credentials!);
        expect(suppliers.map((s) => s.siret)).toContain('91234567500017');
      } finally {
        await app.simulator?.stop();
        await cli.close();
      }
    } finally {
      await owner.stop();
    }
  });

  it.each([
    {
      what: 'a simulator at CHORUS_API_URL: its token endpoint and the PISTE defaults',
      env: {
        CHORUS_API_URL: 'http://127.0.0.1:9/cpro/',
        CHORUS_TECH_LOGIN: 'tech',
        CHORUS_TECH_PASSWORD: 'secret',
      },
      resolved: {
        env: 'simulator',
        apiUrl: 'http://127.0.0.1:9/cpro',
        oauthUrl: 'http://127.0.0.1:9/api/oauth/token',
        clientId: 'facteur-simulator',
        clientSecret: 'facteur-simulator-secret',
        fallback: { login: 'tech', password: 'secret' },
        label: 'simulateur Chorus Pro (127.0.0.1:9)',
      },
    },
    {
      what: 'PISTE sandbox: the platform URLs and the configured application, no fallback account',
      env: { CHORUS_ENV: 'sandbox', PISTE_CLIENT_ID: 'id', PISTE_CLIENT_SECRET: 'secret' },
      resolved: {
        env: 'sandbox',
        apiUrl: 'https://sandbox-api.piste.gouv.fr/cpro',
        oauthUrl: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
        clientId: 'id',
        clientSecret: 'secret',
        label: 'Chorus Pro (qualification, PISTE sandbox)',
      },
    },
  ])('$what', async ({ env, resolved }) => {
    const both = await bothResolutions({ FACTEUR_DATA_DIR: path.join(dir, 'configured'), ...env });
    await both.cli.close();
    expect(both.app).toEqual(resolved);
    expectSameInstallation(both);
  });
});
