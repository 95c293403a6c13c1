/**
 * The real app without channels, for the conversation suites with real parts (createApp: SQLite
 * store in a temp dir, recognition with one worker, the embedded simulator over HTTP), driven as
 * the terminal's user: a text, a choice, an invoice deposited up to its receipt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  createApp,
  TERMINAL_IDENTITY,
  type App,
  type CreateAppOptions,
} from '../../../src/app/create-app.js';
import { createConfig } from '../../../src/config/schema.js';
import type { UserInput } from '../../../src/machine/conversation-port.js';
import type { View } from '../../../src/machine/view.js';
import { createRecognizer } from '../../../src/recognition/index.js';
import { createSilentLogger } from '../../../src/shared/logger.js';
import { invoiceLines, renderPdf, type InvoiceOptions } from '../../fixtures/pdf-lib-invoice.js';

export interface RealApp {
  readonly app: App;
  handle(input: UserInput): Promise<View[]>;
  say(text: string): Promise<View[]>;
  press(choiceId: string, draftId?: string): Promise<View[]>;
  /** Sends the invoice's PDF, « ok » to every block, « confirmer »: the receipt. */
  deposit(invoice: InvoiceOptions): Promise<View>;
}

/**
 * Started before the file's tests, stopped after them. `options`: what the suite adds to the app's
 * options (a clock, a Factur-X maker…), read when the app is made.
 */
export function useRealApp(
  dirPrefix: string,
  options: () => Partial<CreateAppOptions> = () => ({}),
): RealApp {
  const recognizer = createRecognizer({ poolSize: 1 });
  let dir: string;
  let app: App;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), dirPrefix));
    app = await createApp(createConfig({ FACTEUR_DATA_DIR: dir }), {
      logger: createSilentLogger(),
      recognizer,
      withChannels: false,
      submitRetryDelayMs: 5,
      deposit: { lookupDelayMs: 10 },
      ...options(),
    });
    await app.start();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await recognizer.close();
    await rm(dir, { recursive: true, force: true });
  });

  const handle = async (input: UserInput) => (await app.conversations.handle(TERMINAL_IDENTITY, input)).views;
  const say = (text: string) => handle({ type: 'text', text });
  return {
    get app() {
      return app;
    },
    handle,
    say,
    press: (choiceId, draftId) =>
      handle(draftId === undefined ? { type: 'choice', choiceId } : { type: 'choice', choiceId, draftId }),
    async deposit(invoice) {
      await handle({
        type: 'file',
        fileName: `${invoice.number}.pdf`,
        mimeType: 'application/pdf',
        bytes: await renderPdf(invoiceLines(invoice)),
      });
      let views: View[] = [];
      for (let i = 0; i < 8 && views.at(-1)?.kind !== 'summary'; i++) views = await say('ok');
      expect(views.at(-1)?.kind).toBe('summary');
      views = await say('confirmer');
      expect(views.at(-1)?.kind).toBe('receipt');
      return views.at(-1)!;
    },
  };
}
