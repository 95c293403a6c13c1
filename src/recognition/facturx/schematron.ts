/**
 * The profile's official Schematron (XSLT 2.0), run by SaxonJS from its SEF compiled once by
 * `npm run facturx:sef` (vendor/facturx-1.09/sef/). Per thread: SaxonJS is loaded on the first
 * validation, each profile's SEF and code list once; a document costs one transform.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type SaxonJSApi from 'saxon-js';
import type { SaxonNode } from 'saxon-js';
import type { FacturxError, FacturxProfile } from './types.js';
import { profileFiles } from './official-files.js';

type Saxon = typeof SaxonJSApi;

interface CompiledSchematron {
  stylesheet: unknown;
  baseUri: string;
  /** The code list, parsed once and handed to every transform (`document()` finds it here). */
  documentPool: Record<string, SaxonNode>;
}

let saxon: Promise<Saxon> | null = null;
const compiled = new Map<FacturxProfile, Promise<CompiledSchematron>>();

function loadSaxon(): Promise<Saxon> {
  saxon ??= import('saxon-js').then((m) => m.default);
  return saxon;
}

function load(profile: FacturxProfile): Promise<CompiledSchematron> {
  let known = compiled.get(profile);
  if (!known) {
    known = (async () => {
      const SaxonJS = await loadSaxon();
      const files = profileFiles(profile);
      const baseUri = pathToFileURL(join(files.dir, files.xsl)).href;
      const codedbUri = new URL(files.codedb, baseUri).href;
      const codedb = await SaxonJS.getResource({
        text: readFileSync(join(files.dir, files.codedb), 'utf8'),
        type: 'xml',
        baseURI: codedbUri,
      });
      return {
        stylesheet: JSON.parse(gunzipSync(readFileSync(files.sef)).toString('utf8')) as unknown,
        baseUri,
        documentPool: { [codedbUri]: codedb },
      };
    })();
    compiled.set(profile, known);
    known.catch(() => compiled.delete(profile));
  }
  return known;
}

/** Loads SaxonJS and a profile's rules ahead of the first document (worker warm-up). */
export async function warmSchematron(profile: FacturxProfile): Promise<void> {
  await load(profile);
}

const SVRL = { svrl: 'http://purl.oclc.org/dsdl/svrl' };

/** The failed assertions of the profile's Schematron on `xml` ([] when every rule holds). */
export async function schematronErrors(xml: string, profile: FacturxProfile): Promise<FacturxError[]> {
  const [SaxonJS, rules] = await Promise.all([loadSaxon(), load(profile)]);
  let result: { principalResult: SaxonNode };
  try {
    result = SaxonJS.transform(
      {
        stylesheetInternal: rules.stylesheet,
        stylesheetBaseURI: rules.baseUri,
        sourceText: xml,
        destination: 'document',
        documentPool: rules.documentPool,
      },
      'sync',
    );
  } catch (error) {
    // A dynamic error inside the official rules (SaxonJS 2.7 types `sum()` of untyped amounts as
    // xs:decimal in one EXTENDED rule): the rules could not be checked, so the file is not
    // called valid. Reported, never thrown.
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        source: 'schematron',
        rule: 'schematron-not-run',
        message: `The rules could not be checked: ${message}`,
      },
    ];
  }
  const fails = SaxonJS.XPath.evaluate('//svrl:failed-assert', result.principalResult, {
    resultForm: 'array',
    namespaceContext: SVRL,
  }) as SaxonNode[];
  return fails.map((node) => {
    const [id, location, text] = SaxonJS.XPath.evaluate(
      '(string(@id), string(@location), normalize-space(string(svrl:text)))',
      node,
      { resultForm: 'array', namespaceContext: SVRL },
    ) as [string, string, string];
    const where = shortPath(location);
    return { source: 'schematron' as const, ...ruleOf(id, text), ...(where ? { location: where } : {}) };
  });
}

/**
 * The Factur-X Schematron names the EN 16931 / CII rule at the start of its text
 * (`[BR-CO-27]-Either the IBAN…`); rules of its own carry only the assert id (`FX-SCH-A-000020`).
 */
function ruleOf(assertId: string, text: string): { rule: string; message: string } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end > 1) {
      const rule = text.slice(1, end);
      const message = text
        .slice(end + 1)
        .replace(/^\s*-\s*/, '')
        .trim();
      return { rule, message: message || text };
    }
  }
  return { rule: assertId || 'schematron', message: text };
}

/** `/*:A[namespace-uri()='…'][1]/*:B[…][2]` → `/A[1]/B[2]` (the SVRL location, readable). */
function shortPath(location: string): string {
  return location.replace(/\[namespace-uri\(\)='[^']*'\]/g, '').replace(/\*:/g, '');
}
