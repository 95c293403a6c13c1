/**
 * The first report comes first: the conversation answers a PDF with its report as soon as the
 * reading and the look-ups are done; the page-1 preview is drawn afterwards (a follow-up), and a
 * preview that cannot be drawn loses nothing. In simulator mode, Chorus Pro's `deposer/pdf` gets
 * the conversation's own reading of the PDF: one recognition per document. Real parts
 * (`createApp`: SQLite, worker pool, embedded simulator over HTTP), no channel.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, TERMINAL_IDENTITY, type App } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import type { UserInput } from '../../src/machine/conversation-port.js';
import { createRecognizer, type CachingRecognizer } from '../../src/recognition/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { gatedRecognizer } from './gated-recognizer.js';

const engine = createRecognizer({ poolSize: 1 });
const gated = gatedRecognizer(engine);
let dir: string;
let app: App;
let pdf: Uint8Array;
const me = TERMINAL_IDENTITY;
const file = (bytes: Uint8Array, fileName = 'facture.pdf'): UserInput => ({
  type: 'file',
  fileName,
  mimeType: 'application/pdf',
  bytes,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-preview-'));
  pdf = new Uint8Array(await readFile(path.resolve('examples/facture-exemple.pdf')));
  app = await createApp(createConfig({ FACTEUR_DATA_DIR: dir }), {
    logger: createSilentLogger(),
    recognizer: gated.recognizer,
    withChannels: false,
  });
  await app.start();
});
afterAll(async () => {
  gated.releasePreviews();
  await app?.stop();
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => gated.reset());

describe('report first, preview after', { timeout: 60_000 }, () => {
  it('answers with the report while the preview is not drawn; the preview follows and is kept', async () => {
    const first = await app.conversations.handle(me, file(pdf));
    expect(first.views.map((v) => v.kind)).toEqual(['report', 'block']);
    const draftId = first.views[0]!.draftId!;
    expect(first.views[0]!.attachments).toBeUndefined();
    // Nothing asked of the preview yet: a channel that does not show it costs no drawing.
    expect(gated.state.previewsAsked).toBe(0);
    const followUp = first.followUp!();
    // Asked once the draft is known to be still open (a deposited one gets no drawing).
    for (let i = 0; i < 200 && gated.state.previewsAsked === 0; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    expect(gated.state.previewsAsked).toBe(1);
    expect(gated.state.previewsDrawn).toBe(0);
    gated.releasePreviews();
    const [preview, ...rest] = await followUp;
    expect(rest).toEqual([]);
    expect(preview).toMatchObject({ kind: 'info', draftId, lines: [], choices: [] });
    expect(preview!.attachments?.[0]).toMatchObject({ kind: 'preview-png', mimeType: 'image/jpeg' });
    // Called again (a channel retrying): the same drawing, not a second one.
    expect(await first.followUp!()).toEqual([preview]);
    expect(gated.state.previewsDrawn).toBe(1);
    // A later view of the report (« reprendre ») shows the stored preview.
    const files = await app.store.files.listByConversation(draftId);
    expect(files.filter((f) => f.kind === 'preview-png').map((f) => f.mimeType)).toEqual(['image/jpeg']);
  });

  it('a preview that cannot be drawn loses nothing: no follow-up view, the draft goes on', async () => {
    const first = await app.conversations.handle(me, file(pdf, 'autre.pdf'));
    const draftId = first.views.find((v) => v.kind === 'report')!.draftId!;
    gated.failPreviews();
    expect(await first.followUp!()).toEqual([]);
    const next = await app.conversations.handle(me, { type: 'text', text: 'ok' });
    expect(next.views.at(-1)!.kind).toBe('block');
    expect(next.views.at(-1)!.draftId).toBe(draftId);
    const files = await app.store.files.listByConversation(draftId);
    expect(files.map((f) => f.kind)).toEqual(['invoice-pdf']);
  });

  it('draws nothing for a draft that ended before its preview’s turn (a burst’s late previews)', async () => {
    const first = await app.conversations.handle(me, file(new Uint8Array(pdf), 'finie.pdf'));
    expect(first.views.map((v) => v.kind)).toContain('report');
    await app.conversations.handle(me, { type: 'text', text: 'annuler' });
    await app.conversations.handle(me, { type: 'text', text: 'oui' });
    const draftId = first.views.find((v) => v.kind === 'report')!.draftId!;
    expect((await app.store.conversations.get(draftId))?.status).toBe('cancelled');
    expect(await first.followUp!()).toEqual([]);
    expect(gated.state.previewsAsked).toBe(0);
  });

  it('the simulator’s deposer/pdf reuses the conversation’s reading: one recognition per document', async () => {
    const cache = app.recognizer as CachingRecognizer;
    const before = cache.stats();
    const other = new Uint8Array(pdf);
    const first = await app.conversations.handle(me, file(other, 'une-facture.pdf'));
    expect(first.views.map((v) => v.kind)).toContain('report');
    // One reading reached the engine; the simulator's (deposer/pdf was called: the draft holds
    // its pièce jointe, see the deposit below) was served from the cache.
    expect(gated.state.inspects).toBe(1);
    const after = cache.stats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(1);
    let views = first.views;
    for (let i = 0; i < 6 && views.at(-1)!.kind !== 'summary'; i++)
      views = (await app.conversations.handle(me, { type: 'text', text: 'ok' })).views;
    views = (await app.conversations.handle(me, { type: 'text', text: 'confirmer' })).views;
    expect(views.at(-1)!.kind).toBe('receipt');
    expect(gated.state.inspects).toBe(1);
  });
});
