import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChannelIdentity, ConversationService, UserInput } from '../../machine/conversation-port.js';
import type { View } from '../../machine/view.js';
import { renderViews, type NumberedChoice } from './render-view.js';

/**
 * The terminal channel: reads the user's lines (interactive TTY or a pipe), turns them into
 * inputs — a number picks a choice of the last answer, a path to a PDF sends the file, anything
 * else is text — and prints the views. Translation only: no business rule here.
 */

export interface TerminalSessionDeps {
  conversations: ConversationService;
  identity: ChannelIdentity;
  stdin: Readable;
  stdout: Writable;
  cwd: string;
  /** Where received attachments are written: receipts in `recus/`, previews in `apercus/`. */
  attachmentsDir: string;
  interactive: boolean;
}

const QUIT = new Set(['quitter', 'quit', 'exit', 'q', 'fin', 'bye']);

export function createTerminalSession(deps: TerminalSessionDeps) {
  let lastChoices: NumberedChoice[] = [];
  const write = (text: string) => deps.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

  async function saveAttachments(views: View[]): Promise<string[]> {
    const lines: string[] = [];
    for (const view of views) {
      for (const a of view.attachments ?? []) {
        const dir = path.join(
          deps.attachmentsDir,
          a.kind === 'receipt-pdf' ? 'recus' : a.kind === 'facturx-pdf' ? 'factur-x' : 'apercus',
        );
        await mkdir(dir, { recursive: true });
        const prefix = view.provisionalNumber ? `${view.provisionalNumber}-` : '';
        const file = path.join(dir, `${prefix}${path.basename(a.fileName)}`);
        await writeFile(file, a.bytes);
        lines.push(
          a.kind === 'receipt-pdf'
            ? `📎 Récapitulatif de dépôt : ${file}`
            : a.kind === 'preview-png'
              ? `📎 Aperçu de la lecture : ${file}`
              : a.kind === 'facturx-pdf'
                ? `📎 Factur-X : ${file}`
                : `📎 Pièce jointe : ${file}`,
        );
      }
    }
    return lines;
  }

  async function show(views: View[]): Promise<void> {
    const { text, choices } = renderViews(views);
    lastChoices = choices;
    const files = await saveAttachments(views);
    write(`\n${text}${files.length ? `\n${files.join('\n')}` : ''}\n`);
  }

  async function send(input: UserInput): Promise<void> {
    const result = await deps.conversations.handle(deps.identity, input);
    await show(result.views);
    // The preview comes after the report: saved, its path printed; the choices stay the report's.
    if (result.followUp) {
      const files = await saveAttachments(await result.followUp());
      if (files.length > 0) write(files.join('\n'));
    }
  }

  async function sendFile(file: string): Promise<boolean> {
    const full = path.resolve(deps.cwd, file);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(full));
    } catch {
      write(`Fichier introuvable ou illisible : ${full}`);
      return false;
    }
    await send({ type: 'file', fileName: path.basename(full), mimeType: 'application/pdf', bytes });
    return true;
  }

  async function isPdfPath(line: string): Promise<boolean> {
    if (!/\.pdf$/i.test(line)) return false;
    try {
      return (await stat(path.resolve(deps.cwd, line))).isFile();
    } catch {
      return false;
    }
  }

  /** One typed line; false when the user asked to quit. */
  async function onLine(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (!line) return true;
    if (QUIT.has(line.toLowerCase())) return false;
    if (/^\d{1,2}$/.test(line)) {
      const choice = lastChoices.find((c) => c.n === Number(line));
      if (choice) {
        await send({
          type: 'choice',
          choiceId: choice.choiceId,
          draftId: choice.draftId,
          revision: choice.revision,
        });
        return true;
      }
    }
    if (await isPdfPath(line)) {
      await sendFile(line);
      return true;
    }
    await send({ type: 'text', text: line });
    return true;
  }

  return {
    show,
    sendFile,
    /** Reads lines until the input ends or the user quits; each line is answered before the next. */
    async run(): Promise<void> {
      const rl = createInterface({ input: deps.stdin, terminal: deps.interactive, crlfDelay: Infinity });
      const prompt = () => {
        if (deps.interactive) deps.stdout.write('> ');
      };
      prompt();
      try {
        for await (const line of rl) {
          if (!deps.interactive && line.trim()) write(`> ${line.trim()}`);
          if (!(await onLine(line))) break;
          prompt();
        }
      } finally {
        rl.close();
      }
    },
  };
}
