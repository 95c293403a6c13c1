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
import { FACTURX_XMP_NS } from './xmp.js';
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

function xmpPacket(o: { fileName: string; profile: FacturxProfile; date: Date; title?: string }): string {
  const when = o.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const property = (name: string, description: string) => `
          <rdf:li rdf:parseType="Resource">
            <pdfaProperty:name>${name}</pdfaProperty:name>
            <pdfaProperty:valueType>Text</pdfaProperty:valueType>
            <pdfaProperty:category>external</pdfaProperty:category>
            <pdfaProperty:description>${description}</pdfaProperty:description>
          </rdf:li>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(o.title ?? 'Facture')}</rdf:li></rdf:Alt></dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreateDate>${when}</xmp:CreateDate>
      <xmp:ModifyDate>${when}</xmp:ModifyDate>
      <xmp:MetadataDate>${when}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FACTURX_XMP_NS}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property('DocumentFileName', 'The name of the embedded XML document')}${property('DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER')}${property('Version', 'The actual version of the standard applying to the embedded XML document')}${property('ConformanceLevel', 'The conformance level of the embedded XML document')}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="${FACTURX_XMP_NS}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${escapeXml(o.fileName)}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${PROFILE_XMP_LEVELS[o.profile]}</fx:ConformanceLevel>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
