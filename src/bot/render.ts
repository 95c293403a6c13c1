import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Attachment, BlockView, Choice, FieldView, View } from '../machine/view.js';
import { encodeCallbackData } from './callback-data.js';
import { escapeHtml, visibleLength } from './html.js';
import { botMessages } from './messages.js';

/** Buttons Telegram accepts in one inline keyboard. */
export const MAX_BUTTONS = 100;

/** Telegram's limit for a text message, counted after HTML parsing. */
export const MAX_TEXT_LENGTH = 4096;

/** A view laid out for Telegram: one HTML text message, its buttons, then its files. */
export interface RenderedView {
  /**
   * Which message of the draft this view is (`report`, `block:destinataire`, `summary`,
   * `receipt`): a later view with the same slot edits or replaces that message. Undefined for
   * views that are always a new message (help, lists, notifications).
   */
  slot?: string;
  /** HTML text; empty when the view is only files. */
  text: string;
  keyboard?: InlineKeyboardMarkup;
  photos: Attachment[];
  documents: Attachment[];
  /** Choices left out: callback data over 64 bytes (a contract breach to log) or beyond 100 buttons. */
  dropped: string[];
}

const BLOCK_ICON: Record<BlockView['status'], string> = { pending: '▫️', open: '✏️', confirmed: '✅' };
const FIELD_ICON: Record<FieldView['status'], string> = {
  recognized: '•',
  facturx: '🧾',
  confirmed: '✓',
  corrected: '✎',
  missing: '⚠️',
  invalid: '❌',
};

/** The message slot of a view, see `RenderedView.slot`. */
export function slotOf(view: View): string | undefined {
  if (!view.draftId) return undefined;
  switch (view.kind) {
    case 'report':
      return 'report';
    case 'block': {
      const blocks = view.blocks ?? [];
      const block = blocks.length === 1 ? blocks[0] : blocks.find((b) => b.status === 'open');
      return block ? `block:${block.id}` : undefined;
    }
    case 'summary':
    case 'cancel-confirm':
    case 'cancelled':
      return 'summary';
    case 'submitting':
    case 'receipt':
      return 'receipt';
    default:
      return undefined;
  }
}

function renderField(field: FieldView): string[] {
  const empty = field.value === null || field.value === '';
  const value = !empty
    ? `<b>${escapeHtml(field.value ?? '')}</b>`
    : field.status === 'missing' || field.status === 'invalid'
      ? `<i>${botMessages.fieldToFill}</i>`
      : `<i>${botMessages.fieldEmpty}</i>`;
  const from = field.status === 'facturx' ? ` <i>(${botMessages.fieldFromFacturx})</i>` : '';
  const out = [`${FIELD_ICON[field.status]} ${escapeHtml(field.label)} : ${value}${from}`];
  if (field.note) out.push(`    <i>${escapeHtml(field.note)}</i>`);
  return out;
}

function renderBlock(block: BlockView): string[] {
  return [
    `${BLOCK_ICON[block.status]} <b>${escapeHtml(block.title)}</b>`,
    ...block.fields.flatMap(renderField),
  ];
}

/** Joins paragraphs, dropping trailing ones (with a notice) beyond Telegram's 4096 characters. */
function fit(parts: string[]): string {
  const out = [...parts];
  let text = out.join('\n');
  while (visibleLength(text) > MAX_TEXT_LENGTH - 2 && out.length > 1) {
    out.pop();
    text = `${out.join('\n')}\n…`;
  }
  if (visibleLength(text) > MAX_TEXT_LENGTH) {
    // One huge paragraph: cut the visible text (tags are dropped so nothing stays unclosed).
    const plain = text
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    text = `${escapeHtml([...plain].slice(0, MAX_TEXT_LENGTH - 2).join(''))}…`;
  }
  return text;
}

/** The HTML text of a view: title, blocks with their fields, lines, the expected answer. */
export function renderText(view: View): string {
  const parts: string[] = [];
  if (view.title) {
    const number = view.provisionalNumber ? ` · <code>${escapeHtml(view.provisionalNumber)}</code>` : '';
    parts.push(`<b>${escapeHtml(view.title)}</b>${number}`);
  }
  const body: string[] = [];
  const blocks = view.blocks ?? [];
  // A block step lists every block but details only the open one: the others make one progress line.
  const detailed = blocks.filter((b) => b.fields.length > 0);
  const progress = detailed.length < blocks.length;
  if (progress) body.push(blocks.map((b) => `${BLOCK_ICON[b.status]} ${escapeHtml(b.title)}`).join(' · '));
  for (const block of detailed) {
    if (body.length > 0) body.push('');
    // The step's own block needs no heading when the title and the progress line already name it.
    const named = progress && detailed.length === 1 && view.title?.includes(block.title);
    body.push(...(named ? renderBlock(block).slice(1) : renderBlock(block)));
  }
  if (body.length > 0) parts.push(...(parts.length > 0 ? [''] : []), ...body);
  if (view.lines.length > 0) {
    if (parts.length > 0) parts.push('');
    parts.push(...view.lines.map(escapeHtml));
  }
  if (view.expectsText) {
    if (parts.length > 0) parts.push('');
    parts.push(`✍️ <i>${escapeHtml(view.expectsText.hint)}</i>`);
  }
  return parts.length > 0 ? fit(parts) : '';
}

/** Buttons on rows: short labels side by side (up to 3), long ones (structures, IBANs) alone. */
export function renderKeyboard(view: View): { keyboard?: InlineKeyboardMarkup; dropped: string[] } {
  const rows: InlineKeyboardButton[][] = [];
  const dropped: string[] = [];
  let row: InlineKeyboardButton[] = [];
  let rowLength = 0;
  const flush = () => {
    if (row.length > 0) rows.push(row);
    row = [];
    rowLength = 0;
  };
  let kept = 0;
  for (const choice of view.choices) {
    const data = encodeCallbackData({ draftId: view.draftId, revision: view.revision, choiceId: choice.id });
    // Telegram refuses a keyboard of more than 100 buttons; the conversation also takes typed answers.
    if (data === null || kept >= MAX_BUTTONS) {
      dropped.push(choice.id);
      continue;
    }
    const length = [...choice.label].length;
    if (row.length > 0 && (row.length >= 3 || rowLength + length > 28 || length > 18 || rowLength > 18))
      flush();
    row.push({ text: buttonLabel(choice), callback_data: data });
    kept += 1;
    rowLength += length;
  }
  flush();
  return { keyboard: rows.length > 0 ? { inline_keyboard: rows } : undefined, dropped };
}

function buttonLabel(choice: Choice): string {
  const label = choice.label.trim() || choice.id;
  // Telegram shows about 64 characters of a button at best; keep the start, which says the most.
  return [...label].length > 60 ? `${[...label].slice(0, 59).join('')}…` : label;
}

export function renderView(view: View): RenderedView {
  const attachments = view.attachments ?? [];
  const { keyboard, dropped } = renderKeyboard(view);
  return {
    slot: slotOf(view),
    text: renderText(view),
    keyboard,
    photos: attachments.filter((a) => a.kind === 'preview-png'),
    documents: attachments.filter((a) => a.kind !== 'preview-png'),
    dropped,
  };
}
