/**
 * Documents sent by fresh users of the fake Bot API, timed from the document update to the
 * « Analyse… » status edited into the report. Nobody presses anything: only the first report
 * counts here (the full deposit under load is test/bot/helpers/load.ts).
 */
import type { FakeBotApi, FakeUser, RecordedCall } from '../../test/bot/fake-bot-api/index.js';
import { cleanInvoice } from '../../test/bot/helpers/telegram-app.js';

/** Distinct invoices (own numbers) to draw documents from. */
export async function invoiceSet(count: number, prefix: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) out.push(await cleanInvoice(`${prefix}-${String(i).padStart(4, '0')}`));
  return out;
}

/**
 * A document of its own for each user: an invoice of the set with a unique comment after its end
 * (PDF readers ignore it), so no two documents have the same bytes (the report cache is keyed by
 * content, and a real burst has no two identical files).
 */
export function uniqueDocument(set: Uint8Array[], n: number): Uint8Array {
  const base = set[n % set.length] as Uint8Array;
  const tail = Buffer.from(`\n%facteur-bench ${n}\n`, 'latin1');
  const out = new Uint8Array(base.length + tail.length);
  out.set(base);
  out.set(tail, base.length);
  return out;
}

/** Sends one document per user at once; resolves with each document → report time (ms). */
export async function sendAndTimeReports(
  api: FakeBotApi,
  users: FakeUser[],
  documents: Uint8Array[],
  timeoutMs: number,
): Promise<{ reportMs: number[]; wallMs: number }> {
  const runs = new Map<number, { sentAt: number; statusId?: number; reportAt?: number }>();
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stop = api.onCall((call: RecordedCall, result: unknown) => {
    const run = runs.get(Number(call.params.chat_id));
    if (!run) return;
    if (call.method === 'sendMessage' && run.statusId === undefined) {
      run.statusId = Number((result as { message_id?: unknown } | undefined)?.message_id);
    } else if (
      call.method === 'editMessageText' &&
      Number(call.params.message_id) === run.statusId &&
      run.reportAt === undefined
    ) {
      run.reportAt = performance.now();
      if (++done === runs.size) finish();
    }
  });
  const started = performance.now();
  users.forEach((user, i) => {
    runs.set(user.id, { sentAt: performance.now() });
    api.users.sendDocument(user, {
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: documents[i] as Uint8Array,
    });
  });
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  stop();
  const all = [...runs.values()];
  const reportMs = all.filter((r) => r.reportAt !== undefined).map((r) => (r.reportAt as number) - r.sentAt);
  return { reportMs, wallMs: Math.max(...all.map((r) => r.reportAt ?? NaN)) - started };
}
