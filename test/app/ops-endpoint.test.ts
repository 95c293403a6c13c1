/**
 * FACTEUR_HTTP_PORT: /healthz names each channel, the store and Chorus Pro; /metrics is
 * Prometheus text fed by a real deposit conversation through Telegram (fake Bot API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import { cleanInvoice, startTelegramApp, type TelegramApp } from '../bot/helpers/telegram-app.js';

let api: FakeBotApi;
let tg: TelegramApp;
beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api, { env: { FACTEUR_HTTP_PORT: '0' } });
});
afterAll(async () => {
  await tg?.stop();
  await api?.close();
});

const FIRST_REPORT = 'facteur_first_report_latency_seconds_count{channel="telegram"}';

/** The value of one sample line of the exposition, e.g. `facteur_deposits_total{outcome="refused"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and metrics endpoint', { timeout: 120_000 }, () => {
  it('serves /healthz on 127.0.0.1 with every part up', async () => {
    const server = tg.app.opsServer!;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    let res = await fetch(`${server.url}/healthz`);
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100)); // Chorus Pro's first probe
      res = await fetch(`${server.url}/healthz`);
    }
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, { state: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.components).sort()).toEqual(['chorus-pro', 'store', 'telegram']);
    expect(Object.values(body.components).every((c) => c.state === 'up')).toBe(true);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it('counts a document, its analysis, its first report, and the follow-ups gauge the engine sets from the store', async () => {
    const user = api.users.user(7001, 'Camille');
    await tg.link(user);
    api.users.sendDocument(user, {
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0777'),
    });
    await api.waitFor(
      () => api.messagesIn(user.id).some((m) => (m.text ?? '').includes('F-2026-0777')),
      'the report',
      60_000,
    );
    // The bot records the latency once Telegram has answered the report's call: scrape until then.
    let res = await fetch(`${tg.app.opsServer!.url}/metrics`);
    let text = await res.text();
    for (let i = 0; i < 100 && sample(text, FIRST_REPORT) === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await fetch(`${tg.app.opsServer!.url}/metrics`);
      text = await res.text();
    }
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(sample(text, 'facteur_documents_analysed_total{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'facteur_analysis_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, FIRST_REPORT)).toBe(1);
    // Set by the follow-up engine from the store (it would overwrite a value set by hand).
    expect(sample(text, 'facteur_pending_follow_ups')).toBe(await tg.app.store.followUps.countActive());
    for (const outcome of ['deposited', 'refused', 'unknown', 'failed'])
      expect(sample(text, `facteur_deposits_total{outcome="${outcome}"}`)).toBe(0);
    expect(text).toMatch(/^facteur_queue_depth\{queue="telegram-files"\} 0$/m);
    expect(text).toMatch(/^# TYPE facteur_channel_errors_total counter$/m);
    expect(sample(text, 'facteur_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
