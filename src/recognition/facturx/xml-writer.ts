/** A minimal element tree and its serialization (escaped, indented), for the CII writer. */

/** A child slot: absent children (null, undefined, false, '') are dropped. */
export type Child = XmlNode | null | undefined | false | '';

export interface XmlNode {
  name: string;
  attrs?: Record<string, string | undefined>;
  text?: string;
  children?: Child[];
}

/** An element; absent children (null, undefined, false) are dropped, so callers write conditions inline. */
export function el(
  name: string,
  content?: string | Child[],
  attrs?: Record<string, string | undefined>,
): XmlNode {
  return typeof content === 'string'
    ? { name, text: content, attrs }
    : { name, children: content ?? [], attrs };
}

/** `el(name, value)` when the value is given, else nothing. */
export function optEl(name: string, value: string | undefined, attrs?: Record<string, string | undefined>) {
  return value === undefined || value === '' ? null : el(name, value, attrs);
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

export function serialize(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (node: XmlNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(node.attrs ?? {})
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    const kids = (node.children ?? []).filter((c): c is XmlNode => Boolean(c));
    if (node.text !== undefined)
      out.push(`${pad}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`);
    else if (kids.length === 0) out.push(`${pad}<${node.name}${attrs}/>`);
    else {
      out.push(`${pad}<${node.name}${attrs}>`);
      for (const k of kids) write(k, depth + 1);
      out.push(`${pad}</${node.name}>`);
    }
  };
  write(root, 0);
  return out.join('\n') + '\n';
}
