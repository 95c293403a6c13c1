/**
 * Views → one e-mail body, in plain text and simple HTML, readable on a phone: one column,
 * fields as « label : value » lines grouped by block, then how to answer. Layout only: every
 * word of business meaning comes from the views.
 */
import type { Attachment, BlockView, View } from '../machine/view.js';
import { mailMessages as M } from './messages.js';

export interface RenderedMail {
  text: string;
  html: string;
  attachments: Attachment[];
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fieldSuffix(status: keyof typeof M.fieldStatus, note?: string): string {
  const parts: string[] = [];
  if (status !== 'recognized') parts.push(M.fieldStatus[status]);
  if (note) parts.push(note);
  return parts.length > 0 ? ` (${parts.join(' ; ')})` : '';
}

function blockText(block: BlockView): string[] {
  const lines = [block.status === 'pending' ? `■ ${block.title}` : `■ ${block.title} — ${M.blockStatus[block.status]}`];
  for (const f of block.fields) lines.push(`  ${f.label} : ${f.value ?? M.emptyValue}${fieldSuffix(f.status, f.note)}`);
  return lines;
}

function blockHtml(block: BlockView): string {
  const rows = block.fields
    .map((f) => {
      const warn = f.status === 'missing' || f.status === 'invalid';
      const value = escapeHtml(f.value ?? M.emptyValue);
      const suffix = escapeHtml(fieldSuffix(f.status, f.note));
      return `<li style="margin:2px 0">${escapeHtml(f.label)} : <b>${value}</b>${
        suffix ? `<span style="color:${warn ? '#b00020' : '#555'}">${suffix}</span>` : ''
      }</li>`;
    })
    .join('');
  const status = block.status === 'pending' ? '' : ` <span style="font-weight:normal;color:#555">— ${escapeHtml(M.blockStatus[block.status])}</span>`;
  return `<h3 style="font-size:15px;margin:14px 0 4px">${escapeHtml(block.title)}${status}</h3><ul style="padding-left:18px;margin:0">${rows}</ul>`;
}

/** The view the user answers to: the last one of a draft that asks something, else the last that asks. */
export function answeredView(views: View[]): View | undefined {
  const asks = (v: View) => v.choices.length > 0 || v.expectsText !== undefined;
  return [...views].reverse().find((v) => v.draftId && asks(v)) ?? [...views].reverse().find(asks);
}

const isCorrection = (label: string) => /^corriger\b/i.test(label);

/** Where one-tap answers go: a `mailto:` with the reply address and subject of this thread. */
export interface ReplyTarget {
  address: string;
  subject: string;
}

/** The « how to answer » part. Correction choices are summed up by the « champ : valeur » rule. */
function howToReply(views: View[]): { lines: string[]; words: string[] } {
  const last = answeredView(views);
  if (!last) return { lines: [], words: [] };
  const lines: string[] = [];
  const correctable = last.draftId !== undefined && (last.blocks?.length ?? 0) > 0;
  if (last.expectsText) lines.push(M.expects(last.expectsText.hint));
  const words = last.choices.map((c) => c.label).filter((l) => !correctable || !isCorrection(l));
  if (words.length > 0) lines.push(M.howToReplyChoices(words));
  if (correctable) lines.push(M.howToCorrect);
  lines.push(M.howToQuote);
  return { lines, words };
}

/** Buttons that open a reply already written (phones): the draft is found by the address and subject. */
function buttonsHtml(words: string[], target: ReplyTarget | undefined): string {
  if (!target || words.length === 0) return '';
  const href = (word: string) =>
    `mailto:${target.address}?subject=${encodeURIComponent(target.subject)}&body=${encodeURIComponent(word)}`;
  return `<p style="margin:10px 0 0">${words
    .map(
      (w) =>
        `<a href="${escapeHtml(href(w))}" style="display:inline-block;margin:0 6px 6px 0;padding:8px 14px;border-radius:6px;background:#1f4fbf;color:#fff;text-decoration:none">${escapeHtml(w)}</a>`,
    )
    .join('')}</p>`;
}

/** Renders the views of one answer. `notes` (ignored attachments…) come first. */
export function renderViews(views: View[], notes: string[] = [], replyTarget?: ReplyTarget): RenderedMail {
  const text: string[] = [];
  const html: string[] = [];
  if (notes.length > 0) {
    text.push(...notes, '');
    html.push(`<p style="color:#555">${notes.map(escapeHtml).join('<br>')}</p>`);
  }
  const attachments: Attachment[] = [];
  for (const view of views) {
    if (view.title) {
      text.push(view.provisionalNumber ? `${view.title} (${view.provisionalNumber})` : view.title);
      text.push('='.repeat(Math.min(40, view.title.length)));
      html.push(
        `<h2 style="font-size:17px;margin:16px 0 6px">${escapeHtml(view.title)}${
          view.provisionalNumber ? ` <span style="font-weight:normal;color:#555">(${escapeHtml(view.provisionalNumber)})</span>` : ''
        }</h2>`,
      );
    }
    if (view.lines.length > 0) {
      text.push(...view.lines);
      html.push(`<p style="margin:6px 0">${view.lines.map(escapeHtml).join('<br>')}</p>`);
    }
    for (const block of view.blocks ?? []) {
      // Blocks still to come, without content, are noise in a mail (the report lists them all).
      if (block.fields.length === 0) continue;
      text.push('', ...blockText(block));
      html.push(blockHtml(block));
    }
    for (const a of view.attachments ?? []) {
      if (a.kind === 'preview-png') continue; // the user already has the PDF in the thread
      attachments.push(a);
    }
    text.push('');
  }
  const how = howToReply(views);
  if (how.lines.length > 0) {
    text.push(`${M.howToReplyTitle} :`, ...how.lines.map((l) => `- ${l}`), '');
    html.push(
      `<div style="margin-top:16px;padding:10px;background:#f2f5fa;border-radius:6px"><b>${escapeHtml(M.howToReplyTitle)}</b>${buttonsHtml(
        how.words,
        replyTarget,
      )}<ul style="padding-left:18px;margin:4px 0">${how.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></div>`,
    );
  }
  text.push('-- ', M.footer);
  const body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head><body style="font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;font-size:15px;line-height:1.45;color:#111;max-width:600px;margin:0 auto;padding:8px">${html.join(
    '',
  )}<p style="color:#888;font-size:12px;margin-top:20px">${escapeHtml(M.footer)}</p></body></html>`;
  return { text: text.join('\n').replace(/\n{3,}/g, '\n\n'), html: body, attachments };
}
