/**
 * The conversation service with real parts: SQLite store, recognition engine (worker pool),
 * deposit client over HTTP to the embedded simulator — all built by `createApp`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, TERMINAL_IDENTITY, type App } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import type { Notification, UserInput } from '../../src/machine/conversation-port.js';
import type { View } from '../../src/machine/view.js';
import type { DraftContext } from '../../src/machine/types.js';
import { toSubmission } from '../../src/machine/requirements.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const EXAMPLE = path.resolve('examples/facture-exemple.pdf');
const MINISTRY = path.resolve('examples/facture-ministere.pdf');
const recognizer = createRecognizer({ poolSize: 1 });
let dir: string;
let pdf: Uint8Array;
let ministryPdf: Uint8Array;
let now = new Date('2026-03-20T09:00:00.000Z');
const clock = { now: () => now };

async function openApp(dataDir: string): Promise<App> {
  const config = createConfig({
    FACTEUR_DATA_DIR: dataDir,
    FACTEUR_DRAFT_REMINDER_AFTER: '1h',
    FACTEUR_DRAFT_EXPIRE_AFTER: '2d',
  });
  const app = await createApp(config, {
    logger: createSilentLogger(),
    clock,
    recognizer,
    withChannels: false,
    submitRetryDelayMs: 5,
    deposit: { lookupDelayMs: 10 },
  });
  await app.start();
  return app;
}

const me = TERMINAL_IDENTITY;
const file = (bytes: Uint8Array, fileName = 'facture.pdf'): UserInput => ({
  type: 'file',
  fileName,
  mimeType: 'application/pdf',
  bytes,
});
const text = (t: string): UserInput => ({ type: 'text', text: t });
const last = (views: View[]) => views[views.length - 1]!;

let app: App;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-service-'));
  pdf = new Uint8Array(await readFile(EXAMPLE));
  ministryPdf = new Uint8Array(await readFile(MINISTRY));
  app = await openApp(path.join(dir, 'main'));
});
afterAll(async () => {
  await app?.stop();
  await recognizer.close();
  await rm(dir, { recursive: true, force: true });
});

describe('conversation service', () => {
  it('denies an unlinked identity, then links it with a one-time invite code', async () => {
    const stranger = { channel: 'telegram' as const, userId: '4242' };
    expect(await app.conversations.isAllowed(stranger)).toBe(false);
    const denied = await app.conversations.handle(stranger, file(pdf));
    expect(denied.views.map((v) => v.kind)).toEqual(['access-denied']);
    const account = await app.store.accounts.getByName('demo');
    const invite = await app.store.invites.create(account!.id);
    const linked = await app.conversations.handle(stranger, { type: 'link', code: invite.code });
    expect(linked.views[0]!.kind).toBe('linked');
    expect(await app.conversations.isAllowed(stranger)).toBe(true);
    const again = await app.conversations.handle(
      { channel: 'telegram', userId: '4343' },
      { type: 'link', code: invite.code },
    );
    expect(again.views[0]!.lines[0]).toContain('déjà servi');
  });

  it('deposits the example invoice end to end with the receipt PDF attached', async () => {
    const first = await app.conversations.handle(me, file(pdf, 'facture-exemple.pdf'));
    expect(first.views.map((v) => v.kind)).toEqual(['report', 'block']);
    const draftId = first.views[0]!.draftId!;
    expect(first.views[0]!.provisionalNumber).toMatch(/^PROV-2026-\d{4}$/);
    // The report does not wait for the preview: it follows, as a JPEG kept with the draft.
    expect(first.views[0]!.attachments).toBeUndefined();
    const [preview] = await first.followUp!();
    expect(preview!.draftId).toBe(draftId);
    expect(preview!.attachments?.[0]).toMatchObject({ kind: 'preview-png', mimeType: 'image/jpeg' });
    expect([...preview!.attachments![0]!.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const kept = (await app.store.files.listByConversation(draftId)).map((f) => f.kind);
    expect(kept).toContain('preview-png');
    let views = first.views;
    for (let i = 0; i < 5; i++) views = (await app.conversations.handle(me, text('ok'))).views;
    expect(last(views).kind).toBe('summary');
    views = (await app.conversations.handle(me, text('confirmer'))).views;
    const receipt = last(views);
    expect(receipt.kind).toBe('receipt');
    const att = receipt.attachments?.[0];
    expect(att?.kind).toBe('receipt-pdf');
    expect(Buffer.from(att!.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const deposited = app.simulator!.listInvoices().filter((i) => i.number === 'F-2026-0042');
    expect(deposited).toHaveLength(1);
    const record = await app.store.deposits.get(draftId);
    expect(record?.state).toBe('deposited');
    const after = await app.conversations.handle(me, text('ok'));
    expect(after.views[0]!.kind).toBe('info');
    const status = await app.conversations.handle(me, text('statut'));
    expect(status.views[0]!.lines[0]).toContain('facture déposée sur Chorus Pro');
  });

  it('applies an input once per idempotency key and refuses stale choices', async () => {
    const first = await app.conversations.handle(me, file(ministryPdf, 'facture-ministere.pdf'), {
      idempotencyKey: 'test:file:1',
    });
    const dup = await app.conversations.handle(me, file(ministryPdf, 'facture-ministere.pdf'), {
      idempotencyKey: 'test:file:1',
    });
    expect(dup.duplicate).toBe(true);
    expect(dup.views.map((v) => v.draftId)).toEqual(first.views.map((v) => v.draftId));
    const block = last(first.views);
    const ok = await app.conversations.handle(
      me,
      { type: 'choice', choiceId: 'ok', draftId: block.draftId, revision: block.revision },
      { idempotencyKey: 'test:ok:1' },
    );
    expect(last(ok.views).title).toContain('Identification');
    const again = await app.conversations.handle(
      me,
      { type: 'choice', choiceId: 'ok', draftId: block.draftId, revision: block.revision },
      { idempotencyKey: 'test:ok:1' },
    );
    expect(again.duplicate).toBe(true);
    const stale = await app.conversations.handle(me, {
      type: 'choice',
      choiceId: 'ok',
      draftId: block.draftId,
      revision: block.revision,
    });
    expect(stale.views[0]!.title).toBe('Ce brouillon a changé');
    expect(last(stale.views).title).toContain('Identification');
  });

  it('starts a new draft while another is open, lists drafts and resumes one exactly where it was', async () => {
    const open = await app.conversations.handle(me, text('brouillons'));
    expect(open.views[0]!.kind).toBe('drafts');
    const before = open.views[0]!.choices.length;
    const second = await app.conversations.handle(me, file(pdf, 'autre.pdf'));
    expect(second.views[0]!.kind).toBe('info');
    expect(second.views[0]!.lines[0]).toMatch(
      /Nouveau brouillon PROV-2026-\d{4}\. Le brouillon PROV-2026-\d{4} reste enregistré/,
    );
    const list = await app.conversations.handle(me, text('brouillons'));
    expect(list.views[0]!.choices.length).toBe(before + 1);
    const ministryDraft = list.views[0]!.choices.find((c) => !c.id.endsWith(second.views[0]!.draftId!))!;
    const resumed = await app.conversations.handle(me, { type: 'choice', choiceId: ministryDraft.id });
    expect(resumed.views[0]!.lines[0]).toContain('Reprise du brouillon');
    expect(last(resumed.views).title).toContain('Identification');
  });

  it('keeps drafts across a restart and resumes them with « reprendre »', async () => {
    const dataDir = path.join(dir, 'restart');
    let a = await openApp(dataDir);
    const first = await a.conversations.handle(me, file(pdf));
    const prov = first.views[0]!.provisionalNumber!;
    await a.conversations.handle(me, text('ok'));
    await a.conversations.handle(me, text('numero F-2026-0777'));
    await a.stop();
    a = await openApp(dataDir);
    try {
      const resumed = await a.conversations.handle(me, text(`reprendre ${prov}`));
      const block = last(resumed.views);
      expect(block.title).toContain('Identification');
      expect(block.blocks?.find((b) => b.id === 'identification')?.fields[0]).toMatchObject({
        value: 'F-2026-0777',
        status: 'corrected',
      });
      const welcome = await a.conversations.welcome(me);
      expect(welcome[0]!.kind).toBe('welcome');
    } finally {
      await a.stop();
    }
  });

  it('retries a submit Chorus Pro fails, then succeeds when asked again, depositing once', async () => {
    await app.conversations.handle(me, file(pdf, 'retry.pdf'));
    await app.conversations.handle(me, text('numero F-RETRY-1'));
    for (let i = 0; i < 5; i++) await app.conversations.handle(me, text('ok'));
    app.simulator!.injectFault({
      kind: 'error',
      status: 503,
      operation: '/factures/v1/soumettre',
      times: 100,
    });
    const failed = await app.conversations.handle(me, text('confirmer'));
    expect(last(failed.views).title).toBe('Envoi non abouti');
    app.simulator!.clearFaults();
    const ok = await app.conversations.handle(me, text('réessayer'));
    expect(last(ok.views).kind).toBe('receipt');
    expect(app.simulator!.listInvoices().filter((i) => i.number === 'F-RETRY-1')).toHaveLength(1);
  });

  it('reminds an inactive draft once and expires it later, through the channel’s listener', async () => {
    const got: Notification[] = [];
    const off = app.conversations.onNotification('terminal', (n) => {
      got.push(n);
    });
    try {
      const start = await app.conversations.handle(me, file(pdf, 'rappel.pdf'));
      const prov = start.views[0]!.provisionalNumber;
      now = new Date(now.getTime() + 2 * 3_600_000);
      await app.conversations.runMaintenance();
      const reminders = got.filter((n) => n.view.kind === 'reminder' && n.view.provisionalNumber === prov);
      expect(reminders).toHaveLength(1);
      await app.conversations.runMaintenance();
      expect(got.filter((n) => n.view.kind === 'reminder' && n.view.provisionalNumber === prov)).toHaveLength(
        1,
      );
      now = new Date(now.getTime() + 3 * 86_400_000);
      await app.conversations.runMaintenance();
      expect(got.some((n) => n.view.kind === 'expired' && n.view.provisionalNumber === prov)).toBe(true);
      expect(await app.store.files.listByConversation(start.views[0]!.draftId!)).toEqual([]);
      const after = await app.conversations.handle(me, text(`reprendre ${prov}`));
      expect(after.views[0]!.lines[0]).toContain('est terminé');
    } finally {
      off();
    }
  });

  it('settles at start a submit left in flight: found on Chorus Pro → receipt, else marked not deposited', async () => {
    const creds = { login: 'demo', password: 'demo' };
    const prepare = async (number: string) => {
      await app.conversations.handle(me, file(pdf, `${number}.pdf`));
      await app.conversations.handle(me, text(`numero ${number}`));
      for (let i = 0; i < 5; i++) await app.conversations.handle(me, text('ok'));
      app.simulator!.injectFault({
        kind: 'error',
        status: 503,
        operation: '/factures/v1/soumettre',
        times: 1000,
      });
      const failed = await app.conversations.handle(me, text('confirmer'));
      app.simulator!.clearFaults();
      expect(last(failed.views).title).toBe('Envoi non abouti');
      const draftId = last(failed.views).draftId!;
      expect((await app.store.deposits.get(draftId))?.state).toBe('in-flight');
      return draftId;
    };
    const landed = await prepare('F-LANDED-1');
    // As if the last attempt had reached Chorus Pro without its answer reaching us.
    const snapshot = (await app.store.conversations.get(landed))!.snapshot as { context: DraftContext };
    await app.deposit.submit(creds, toSubmission(snapshot.context));
    const lost = await prepare('F-LOST-1');
    const got: Notification[] = [];
    const off = app.conversations.onNotification('terminal', (n) => {
      got.push(n);
    });
    try {
      await app.conversations.recoverInFlight();
    } finally {
      off();
    }
    expect((await app.store.conversations.get(landed))?.status).toBe('submitted');
    expect(got.map((n) => n.view.kind)).toEqual(['receipt']);
    expect(app.simulator!.listInvoices().filter((i) => i.number === 'F-LANDED-1')).toHaveLength(1);
    expect((await app.store.deposits.get(lost))?.state).toBe('failed');
    expect((await app.store.conversations.get(lost))?.status).toBe('open');
    expect(app.simulator!.listInvoices().filter((i) => i.number === 'F-LOST-1')).toHaveLength(0);
  }, 60_000);

  it('deletes a cancelled draft’s PDF and forgets it as the current draft', async () => {
    const start = await app.conversations.handle(me, file(pdf, 'annule.pdf'));
    const draftId = start.views[0]!.draftId!;
    expect((await app.store.files.listByConversation(draftId)).length).toBeGreaterThan(0);
    const ask = await app.conversations.handle(me, text('annuler'));
    expect(ask.views[0]!.kind).toBe('cancel-confirm');
    const done = await app.conversations.handle(me, text('oui'));
    expect(done.views[0]!.kind).toBe('cancelled');
    expect(await app.store.files.listByConversation(draftId)).toEqual([]);
    expect((await app.store.conversations.get(draftId))?.status).toBe('cancelled');
    const next = await app.conversations.handle(me, text('ok'));
    expect(next.views[0]!.lines[0]).toContain('Aucun brouillon en cours');
    const audit = await app.store.audit.list({ conversationId: draftId });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['draft.created', 'draft.cancelled']));
  });

  it('answers « aide » with the help, then where the current draft is', async () => {
    await app.conversations.handle(me, file(pdf, 'aide.pdf'));
    const help = await app.conversations.handle(me, text('aide'));
    expect(help.views[0]!.kind).toBe('help');
    expect(last(help.views).kind).toBe('block');
    expect(last(help.views).choices[0]!.id).toBe('ok');
  });

  it('ends a damaged PDF with the reason and forgets it as the current draft', async () => {
    const damaged = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref');
    const r = await app.conversations.handle(me, file(damaged, 'abime.pdf'));
    const end = last(r.views);
    expect(end.title).toBe('Fichier inutilisable');
    expect(end.lines.join(' ')).toMatch(/endommagé|illisible/);
    const draftId = end.draftId!;
    expect(await app.store.files.listByConversation(draftId)).toEqual([]);
    const next = await app.conversations.handle(me, text('ok'));
    expect(next.views[0]!.lines[0]).toContain('Aucun brouillon en cours');
    const audit = await app.store.audit.list({ conversationId: draftId });
    expect(audit.map((e) => e.action)).toContain('draft.rejected');
  });

  it('restarts the analysis of a draft saved without a snapshot (crash right after receiving the PDF)', async () => {
    const account = (await app.store.identities.findAccount(me))!;
    const record = await app.store.conversations.create({
      accountId: account.id,
      startedBy: me,
      snapshot: null,
      machineVersion: 1,
    });
    await app.store.files.put({
      kind: 'invoice-pdf',
      fileName: 'crash.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
      accountId: account.id,
      conversationId: record.id,
    });
    const r = await app.conversations.handle(me, text('ok'));
    expect(r.views.map((v) => v.kind)).toEqual(['report', 'block']);
    expect(last(r.views).title).toContain('Cadre de facturation');
    expect(r.views[0]!.provisionalNumber).toBe(record.provisionalNumber);
  });

  it('carries on with the same draft when a channel replays the PDF message after a crash', async () => {
    const account = (await app.store.identities.findAccount(me))!;
    const key = 'test:replayed-pdf:1';
    // What a process killed during the analysis leaves behind: the draft, its PDF, no snapshot.
    const first = app.conversations.handle(me, file(pdf, 'rejeu.pdf'), { idempotencyKey: key });
    const created = (await first).views[0]!;
    const before = await app.store.conversations.count({ accountId: account.id });
    const record = (await app.store.conversations.get(created.draftId!))!;
    await app.store.conversations.apply({
      conversationId: record.id,
      expectedRevision: record.revision,
      snapshot: null,
      status: 'open',
    });
    await app.store.conversations.pruneApplied(new Date(Date.now() + 60_000));
    const replay = await app.conversations.handle(me, file(pdf, 'rejeu.pdf'), { idempotencyKey: key });
    expect(replay.duplicate).toBeFalsy();
    expect(replay.views[0]!.draftId).toBe(record.id);
    expect(replay.views.map((v) => v.kind)).toEqual(['report', 'block']);
    expect(await app.store.conversations.count({ accountId: account.id })).toBe(before);
    const pdfs = (await app.store.files.listByConversation(record.id)).filter(
      (f) => f.kind === 'invoice-pdf',
    );
    expect(pdfs).toHaveLength(1);
  });

  it('refuses what is not a PDF before creating a draft', async () => {
    const r = await app.conversations.handle(me, file(new TextEncoder().encode('hello'), 'note.txt'));
    expect(r.views[0]!.lines[0]).toContain('n’est pas un PDF');
  });
});
