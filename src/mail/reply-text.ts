/**
 * What the user actually wrote in a reply: the lines above the quoted history, without greeting,
 * closing formula nor signature. French and English clients are covered (Gmail, Apple Mail,
 * Thunderbird, Outlook desktop/web, mobile « Envoyé de mon iPhone »).
 */

/** A line that opens the quoted history (Gmail/Apple/Thunderbird attribution lines, Outlook separators). */
const QUOTE_OPENERS: RegExp[] = [
  /^-{2,}\s*(original message|message d'origine|message d’origine|forwarded message|message transféré|mail original)\s*-{2,}$/i,
  /^_{10,}$/,
  /^(begin forwarded message|début du message réexpédié)\s*:/i,
];

/** Attribution lines that may wrap over two or three lines: « Le … a écrit : », « On … wrote: ». */
const ATTRIBUTION_START = /^(le|on|am|el)\s.+/i;
const ATTRIBUTION_END = /(a écrit|a ecrit|wrote|schrieb|escribió)\s*:\s*$/i;

/** Outlook's header block: « De : … » followed by « Envoyé : » / « Date : » / « À : » / « Objet : ». */
const OUTLOOK_FROM = /^\*?(de|from)\s*:\s*\*?\s*\S/i;
const OUTLOOK_NEXT = /^\*?(envoyé|envoye|sent|date|à|a|to|objet|subject|cc)\s*:/i;

const SIGNATURE_STARTS: RegExp[] = [
  /^--\s*$/,
  /^(envoyé|envoye) (de|depuis) (mon|my) /i,
  /^sent from (my )?/i,
  /^get outlook for /i,
  /^télécharger outlook pour /i,
];

/** A closing formula on its own line ends the useful text. */
const CLOSINGS =
  /^(cordialement|bien cordialement|très cordialement|bien à vous|bien a vous|salutations|bonne (journée|journee|soirée|soiree)|merci( beaucoup| d'avance| d’avance| par avance)?|à bientôt|a bientot|regards|best regards|kind regards|best|thanks|thank you|cheers)[\s,.!]*$/i;

const GREETINGS = /^(bonjour|bonsoir|salut|hello|hi|hey|dear|cher|chère|madame|monsieur)\b[^:]{0,40}[,!.]?\s*$/i;

function normalise(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/\u200b/g, '')
    .split('\n');
}

function isAttribution(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (!ATTRIBUTION_START.test(line)) return false;
  // The attribution may be wrapped by the client over up to three lines.
  const joined = [line, lines[i + 1]?.trim() ?? '', lines[i + 2]?.trim() ?? ''];
  for (let n = 1; n <= 3; n++) {
    if (ATTRIBUTION_END.test(joined.slice(0, n).join(' ').trim())) return true;
  }
  return false;
}

function isOutlookHeader(lines: string[], i: number): boolean {
  if (!OUTLOOK_FROM.test(lines[i]!.trim())) return false;
  for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
    if (OUTLOOK_NEXT.test(lines[j]!.trim())) return true;
  }
  return false;
}

/** Lines the user wrote above the quoted history, trimmed, empty lines removed. */
export function extractReplyLines(text: string): string[] {
  const lines = normalise(text);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (QUOTE_OPENERS.some((r) => r.test(line)) || isAttribution(lines, i) || isOutlookHeader(lines, i)) break;
    if (SIGNATURE_STARTS.some((r) => r.test(line))) break;
    if (line.startsWith('>')) continue;
    if (CLOSINGS.test(line)) break;
    if (line.length === 0) continue;
    kept.push(line);
  }
  while (kept.length > 0 && GREETINGS.test(kept[0]!)) kept.shift();
  return kept;
}

/**
 * A reply made only of courtesy (« Merci beaucoup ! », « Bonjour, merci »): the formula itself,
 * passed on to the conversation (which answers it in one line); undefined otherwise.
 */
export function courtesyLine(text: string): string | undefined {
  if (extractReplyLines(text).length > 0) return undefined;
  for (const raw of normalise(text)) {
    const line = raw.trim();
    if (line.startsWith('>') || QUOTE_OPENERS.some((r) => r.test(line))) return undefined;
    if (CLOSINGS.test(line) || GREETINGS.test(line)) return line;
  }
  return undefined;
}
