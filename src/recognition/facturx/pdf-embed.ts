/**
 * Embeds a CII XML into a PDF as Factur-X does (pdf-lib): the attachment `factur-x.xml`
 * (`/AFRelationship`, `text/xml`, listed in `/Names/EmbeddedFiles` and the catalog's `/AF`),
 * the XMP packet declaring PDF/A-3B and the Factur-X extension schema with its `fx:` properties,
 * and a trailer `/ID`. It does not make an arbitrary PDF PDF/A-3 conformant (fonts, output
 * intent): that belongs to the producer of the pages (issue #13).
 */
import { createHash } from 'node:crypto';
import { AFRelationship, PDFDocument, PDFHexString, PDFName } from 'pdf-lib';
import type { FacturxProfile } from './types.js';
import { PROFILE_XMP_LEVELS } from './profile.js';
import { facturxXmpPacket, xmpDate } from './xmp-packet.js';
import { escapeXml } from './xml-writer.js';

export type FacturxRelationship = 'Data' | 'Source' | 'Alternative';

export interface EmbedOptions {
  profile: FacturxProfile;
  /** Default `factur-x.xml`. */
  fileName?: string;
  /** Default `Data` (what the FNFE samples use); readers accept any of the three. */
  relationship?: FacturxRelationship;
  /** Dates written in the attachment and the XMP (default: now); fixed in tests. */
  date?: Date;
  /** Extra attachments (`Supplement`), e.g. a delivery note. */
  supplements?: Array<{ name: string; bytes: Uint8Array; mimeType: string }>;
  /** Write the XMP fx: metadata (default true). */
  xmp?: boolean;
}

export async function embedFacturx(
  pdf: Uint8Array,
  xml: string | Uint8Array,
  options: EmbedOptions,
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fileName = options.fileName ?? 'factur-x.xml';
  const date = options.date ?? new Date();
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml;
  await doc.attach(bytes, fileName, {
    mimeType: 'text/xml',
    description: 'Factur-X invoice',
    creationDate: date,
    modificationDate: date,
    afRelationship: AFRelationship[options.relationship ?? 'Data'],
  });
  for (const s of options.supplements ?? []) {
    await doc.attach(s.bytes, s.name, {
      mimeType: s.mimeType,
      creationDate: date,
      modificationDate: date,
      afRelationship: AFRelationship.Supplement,
    });
  }
  if (options.xmp !== false) {
    const packet = xmpPacket({ fileName, profile: options.profile, date, title: doc.getTitle() });
    // UTF-8 bytes: pdf-lib would write a string's characters as single bytes.
    const stream = doc.context.stream(new TextEncoder().encode(packet), { Type: 'Metadata', Subtype: 'XML' });
    doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  }
  // PDF/A requires a trailer /ID; pdf-lib never writes one.
  const id = PDFHexString.of(createHash('md5').update(bytes).update(date.toISOString()).digest('hex'));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  return doc.save({ useObjectStreams: false });
}

/** The packet of `xmp-packet.ts` with the title and dates only (the caller owns the rest of Info). */
function xmpPacket(o: { fileName: string; profile: FacturxProfile; date: Date; title?: string }): string {
  const when = xmpDate(o.date);
  return facturxXmpPacket(
    { fileName: o.fileName, level: PROFILE_XMP_LEVELS[o.profile] },
    `
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(o.title ?? 'Facture')}</rdf:li></rdf:Alt></dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreateDate>${when}</xmp:CreateDate>
      <xmp:ModifyDate>${when}</xmp:ModifyDate>
      <xmp:MetadataDate>${when}</xmp:MetadataDate>
    </rdf:Description>`,
  );
}
