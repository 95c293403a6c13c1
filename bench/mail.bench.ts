/**
 * E-mail channel throughput: messages appended at once to a real Dovecot, handled by the real
 * app (createApp: conversation, recognition, simulator, SQLite), answers received by a real SMTP
 * listener. Prints messages handled per second and the time from arrival (APPEND done) to the
 * answer (SMTP DATA received): medians over several runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app/index.js';
import { createConfig } from '../src/config/schema.js';
import { createRecognizer } from '../src/recognition/index.js';
import { createSilentLogger } from '../src/shared/logger.js';
import { startDovecot } from '../test/mail/helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from '../test/mail/helpers/smtp-sink.js';
import { buildMail, withImap, type ImapAccount } from '../test/mail/helpers/compose.js';

const CAMILLE = 'camille@example.fr';
const RUNS = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};

interface RunResult {
  perSecond: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
}

async function oneRun(
  dovecotPort: number,
  smtp: SmtpSink,
  user: { user: string; password: string },
  recognizer: ReturnType<typeof createRecognizer>,
  raws: Buffer[],
): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-bench-'));
  const config = createConfig({
    FACTEUR_DATA_DIR: dataDir,
    IMAP_URL: `imap://${encodeURIComponent(user.user)}:${user.password}@127.0.0.1:${dovecotPort}/INBOX`,
    SMTP_URL: smtp.url,
    MAIL_FROM: `Facteur <${user.user}>`,
    MAIL_AUTH: 'none',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, { logger: createSilentLogger(), recognizer });
  try {
    const demo = await app.store.accounts.ensure({ name: 'demo' });
    await app.store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
    await app.start();
    smtp.messages.length = 0;
    smtp.receivedAt.length = 0;
    const account: ImapAccount = { host: '127.0.0.1', port: dovecotPort, ...user };
    const arrivedAt = new Map<string, number>();
    await withImap(account, async (client) => {
      for (const [i, raw] of raws.entries()) {
        await client.append('INBOX', raw);
        arrivedAt.set(`<bench-${i}@example.fr>`, Date.now());
      }
    });
    await smtp.waitFor(raws.length, 600_000);
    const first = Math.min(...arrivedAt.values());
    const last = Math.max(...smtp.receivedAt);
    const latencies = smtp.messages.map((m, i) => smtp.receivedAt[i]! - (arrivedAt.get(m.inReplyTo ?? '') ?? first));
    return {
      perSecond: (raws.length * 1000) / Math.max(1, last - first),
      latencyMedianMs: median(latencies),
      latencyP95Ms: percentile(latencies, 0.95),
    };
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<void> {
  const users = Array.from({ length: RUNS * 2 }, (_, i) => ({ user: `bench${i}@facteur.test`, password: `pw${i}` }));
  const dovecot = await startDovecot(users);
  const smtp = await startSmtpSink();
  const recognizer = createRecognizer();
  const pdf = readFileSync('examples/facture-exemple.pdf');
  try {
    const cases = [
      {
        name: '300 replies without PDF (« brouillons »)',
        build: () =>
          Promise.all(
            Array.from({ length: 300 }, (_, i) =>
              buildMail({ from: CAMILLE, to: 'facteur@facteur.test', subject: `n° ${i}`, messageId: `<bench-${i}@example.fr>`, text: 'brouillons' }),
            ),
          ),
      },
      {
        name: '20 forwarded invoices (one PDF each)',
        build: () =>
          Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              buildMail({
                from: CAMILLE,
                to: 'facteur@facteur.test',
                subject: `Facture ${i}`,
                messageId: `<bench-${i}@example.fr>`,
                attachments: [{ filename: 'facture-exemple.pdf', content: pdf }],
              }),
            ),
          ),
      },
    ];
    let u = 0;
    for (const c of cases) {
      const raws = await c.build();
      const results: RunResult[] = [];
      for (let r = 0; r < RUNS; r++) results.push(await oneRun(dovecot.port, smtp, users[u++]!, recognizer, raws));
      console.log(
        `mail: ${c.name}: ${median(results.map((x) => x.perSecond)).toFixed(1)} messages/s, ` +
          `arrival→answer median ${Math.round(median(results.map((x) => x.latencyMedianMs)))} ms, ` +
          `p95 ${Math.round(median(results.map((x) => x.latencyP95Ms)))} ms (median of ${RUNS} runs)`,
      );
    }
  } finally {
    await recognizer.close();
    await smtp.stop();
    await dovecot.stop();
  }
}
