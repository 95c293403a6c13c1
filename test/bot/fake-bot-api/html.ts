/**
 * A strict check of Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style):
 * only the supported tags, balanced, and every `<`, `>` and `&` of the text escaped. Returns the
 * French-free Bot API error description, or null when the text parses; also the visible length.
 */
const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);

export function checkHtml(text: string): { error: string | null; visibleLength: number } {
  const stack: string[] = [];
  let visible = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '<') {
      const end = text.indexOf('>', i);
      if (end < 0)
        return { error: `can't parse entities: unclosed start tag at byte offset ${i}`, visibleLength: 0 };
      const tag = text.slice(i + 1, end);
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0] ?? '';
      if (!TAGS.has(name)) {
        return {
          error: `can't parse entities: unsupported start tag "${name}" at byte offset ${i}`,
          visibleLength: 0,
        };
      }
      if (closing) {
        if (stack.pop() !== name) {
          return { error: `can't parse entities: unmatched end tag at byte offset ${i}`, visibleLength: 0 };
        }
      } else {
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === '>')
      return { error: `can't parse entities: unexpected ">" at byte offset ${i}`, visibleLength: 0 };
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(text.slice(i, i + 12));
      if (!m)
        return { error: `can't parse entities: unsupported entity at byte offset ${i}`, visibleLength: 0 };
      visible += 1;
      i += m[0].length;
      continue;
    }
    visible += 1;
    i += 1;
  }
  if (stack.length > 0)
    return {
      error: `can't parse entities: can't find end tag corresponding to start tag "${stack.at(-1)}"`,
      visibleLength: 0,
    };
  return { error: null, visibleLength: visible };
}
