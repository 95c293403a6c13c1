import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';
import { buttonFor, cleanInvoice, lastWithButtons, press } from './helpers/telegram-app.js';

/**
 * `facteur start` as a real process (dist/, built before vitest): the user links with the code of
 * `facteur accounts invite`, starts a deposit, the process is stopped with SIGTERM and later
 * killed with SIGKILL in the middle of an update; each new process resumes the conversation
 * where it was, and the deposit ends with one receipt.
 */

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/facteur.js');
let api: FakeBotApi;
let dataDir: string;
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  api = await startFakeBotApi({ username: 'facteur_restart_bot' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'facteur-tg-restart-'));
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.url,
    FACTEUR_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
});
afterAll(async () => {
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
  // The token never reaches the process logs.
  expect(outputs.join('\n')).not.toContain(api.token.split(':')[1]);
});

async function startProcess(): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const polls = api.callsOf('getUpdates').length;
  const child = spawn(process.execPath, [bin, 'start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  outputs.push('');
  const index = outputs.length - 1;
  const collect = (chunk: Buffer) => {
    output.push(chunk.toString());
    outputs[index] = output.join('');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    api.waitFor(() => api.callsOf('getUpdates').length > polls, 'facteur start polling', 60_000),
    exited.then((code) => {
      throw new Error(`facteur start exited (${code}):\n${output.join('')}`);
    }),
  ]);
  return { child, exited };
}

describe('facteur start with Telegram, stopped and killed mid-conversation', () => {
  it(
    'resumes the conversation after SIGTERM and after SIGKILL, with one receipt',
    { timeout: 240_000 },
    async () => {
      let proc = await startProcess();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, 'accounts', 'invite', 'demo', '--json'],
        { cwd: root, env },
      );
      const invite = JSON.parse(stdout) as { code: string; link: string };
      expect(invite.link).toBe(`https://t.me/facteur_restart_bot?start=${invite.code}`);

      const user = api.users.user(8_000_001, 'Camille');
      api.users.sendText(user, `/start ${invite.code}`);
      await api.waitFor(
        () => api.messagesIn(user.id).some((m) => m.text?.includes('demo')),
        'linked',
        30_000,
      );
      api.users.sendDocument(user, {
        fileName: 'facture.pdf',
        mimeType: 'application/pdf',
        bytes: await cleanInvoice('F-2026-0201'),
      });
      const withOk = () => {
        const last = lastWithButtons(api, user.id);
        return last && buttonFor(last, 'ok') ? last : undefined;
      };
      const cadre = await api.waitFor(withOk, 'cadre block', 30_000);
      await press(api, user, cadre, 'ok');
      const identification = await api.waitFor(
        () => {
          const m = lastWithButtons(api, user.id);
          return m && m !== cadre ? m : undefined;
        },
        'identification block',
        30_000,
      );

      // 1. SIGTERM: a clean stop. The user presses the next button while Facteur is down.
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      api.users.pressData(user, identification, buttonFor(identification, 'ok')!);
      proc = await startProcess();
      const destinataire = await api.waitFor(
        () => {
          const m = lastWithButtons(api, user.id);
          // The pressed message is marked too: message ids survived the restart.
          return m?.text?.includes('Destinataire (3/5)') && identification.text?.includes('→')
            ? m
            : undefined;
        },
        'destinataire block after the restart',
        30_000,
      );
      // The pressed message was still the one edited (message ids survived the restart).
      expect(identification.text).toContain('→');

      // 2. SIGKILL while an update is being handled (after Telegram handed it over).
      const held = api.holdNext('answerCallbackQuery');
      api.users.pressData(user, destinataire, buttonFor(destinataire, 'ok')!);
      await held.arrived;
      proc.child.kill('SIGKILL');
      await proc.exited;
      held.release();
      proc = await startProcess();
      await api.waitFor(
        () => lastWithButtons(api, user.id)?.text?.includes('Fournisseur (4/5)'),
        'the killed update handled by the next process',
        30_000,
      );

      // The deposit goes on to its end.
      for (let step = 0; step < 4 && !api.messagesIn(user.id).some((m) => m.kind === 'document'); step += 1) {
        const m = await api.waitFor(() => {
          const last = lastWithButtons(api, user.id);
          return last && buttonFor(last, 'ok') ? last : undefined;
        }, 'a step');
        await press(api, user, m, 'ok');
      }
      await api.waitFor(
        () => api.messagesIn(user.id).find((m) => m.kind === 'document'),
        'receipt PDF',
        30_000,
      );
      expect(
        api.messagesIn(user.id).filter((m) => m.text?.includes('Facture déposée sur Chorus Pro')),
      ).toHaveLength(1);
      expect(api.messagesIn(user.id).filter((m) => m.text?.includes('Fournisseur (4/5)'))).toHaveLength(1);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    },
  );
});
