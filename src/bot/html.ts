/** Escapes text for Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Characters Telegram counts for a message's length once the HTML is parsed. */
export function visibleLength(html: string): number {
  const text = html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot|#\d+);/g, '_');
  // Code points, counted without spreading the text into an array (every message is measured).
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs += 1;
        i += 1;
      }
    }
  }
  return text.length - pairs;
}
