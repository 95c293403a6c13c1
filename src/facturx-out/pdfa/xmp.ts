/**
 * The XMP packet of a Factur-X PDF/A-3B made by the producer: the document information
 * mirrored (PDF/A wants Info and XMP to agree: title, author, subject, keywords, creator,
 * producer, dates) inside the Factur-X packet of `recognition/facturx/xmp-packet.ts`.
 */
import { facturxXmpPacket, xmpDate, type XmpFacturx } from '../../recognition/facturx/xmp-packet.js';
import { escapeXml } from '../../recognition/facturx/xml-writer.js';

export interface XmpInfo {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
  producer: string;
  created: Date;
  modified: Date;
}

export function xmpPacket(info: XmpInfo, fx: XmpFacturx): string {
  const x = escapeXml;
  const opt = (value: string | undefined, xml: (v: string) => string) => (value ? xml(x(value)) : '');
  const metadata = `
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(info.title)}</rdf:li></rdf:Alt></dc:title>${opt(
        info.author,
        (v) => `
      <dc:creator><rdf:Seq><rdf:li>${v}</rdf:li></rdf:Seq></dc:creator>`,
      )}${opt(
        info.subject,
        (v) => `
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${v}</rdf:li></rdf:Alt></dc:description>`,
      )}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${x(info.producer)}</pdf:Producer>${opt(
        info.keywords,
        (v) => `
      <pdf:Keywords>${v}</pdf:Keywords>`,
      )}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">${opt(
      info.creator,
      (v) => `
      <xmp:CreatorTool>${v}</xmp:CreatorTool>`,
    )}
      <xmp:CreateDate>${xmpDate(info.created)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(info.modified)}</xmp:ModifyDate>
      <xmp:MetadataDate>${xmpDate(info.modified)}</xmp:MetadataDate>
    </rdf:Description>`;
  return facturxXmpPacket(fx, metadata);
}
