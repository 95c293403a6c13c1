/**
 * The profile's Schematron, run by SaxonJS from SEFs compiled once by `npm run facturx:sef`
 * (vendor/facturx-1.09/sef/). Per thread: SaxonJS is loaded on the first validation, each
 * profile's SEF and code list once; a document costs one transform.
 *
 * Validation runs the single-pass Schematron that scripts/derive-facturx-schematron.mjs derives
 * from the official file (same rules, same tests, same ids and texts; one walk of the document
 * instead of one per pattern). The official file, compiled as it is, stays available as the
 * reference (`engine: 'official'`): test/recognition/facturx/schematron-equivalence.test.ts
 * requires both to fail the same rules on a corpus of valid and broken invoices.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type SaxonJSApi from 'saxon-js';
import type { SaxonNode } from 'saxon-js';
import type { FacturxError, FacturxProfile } from './types.js';
import { profileFiles } from './official-files.js';
import { schematronError, type FailedAssert } from './schematron-results.js';

type Saxon = typeof SaxonJSApi;
export type SchematronEngine = 'fast' | 'official';

/** One assert of the derived Schematron, as scripts/derive-facturx-schematron.mjs tabulates it. */
interface AssertEntry {
  id: string;
  flag?: string;
  text: string;
  /** Index of its pattern in the official order. */
  pattern: number;
}

interface CompiledSchematron {
  stylesheet: unknown;
  baseUri: string;
  /** The code list, parsed once and handed to every transform (`document()` finds it here). */
  documentPool: Record<string, SaxonNode>;
  /** The fast engine's assert table (index → id, text, pattern). */
  asserts: AssertEntry[];
}

let saxon: Promise<Saxon> | null = null;
const compiled = new Map<string, Promise<CompiledSchematron>>();

function loadSaxon(): Promise<Saxon> {
  saxon ??= import('saxon-js').then((m) => m.default);
  return saxon;
}

function load(profile: FacturxProfile, engine: SchematronEngine): Promise<CompiledSchematron> {
  const key = `${engine}:${profile}`;
  let known = compiled.get(key);
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
      const sef = engine === 'fast' ? files.fastSef : files.sef;
      return {
        stylesheet: JSON.parse(gunzipSync(readFileSync(sef)).toString('utf8')) as unknown,
        baseUri,
        documentPool: { [codedbUri]: codedb },
        asserts: engine === 'fast' ? (JSON.parse(readFileSync(files.asserts, 'utf8')) as AssertEntry[]) : [],
      };
    })();
    compiled.set(key, known);
    known.catch(() => compiled.delete(key));
  }
  return known;
}

/** Loads SaxonJS and a profile's rules ahead of the first document (worker warm-up). */
export async function warmSchematron(profile: FacturxProfile): Promise<void> {
  await load(profile, 'fast');
}

const SVRL = { svrl: 'http://purl.oclc.org/dsdl/svrl' };

/** The failed assertions of the profile's Schematron on `xml` ([] when every rule holds). */
export async function schematronErrors(
  xml: string,
  profile: FacturxProfile,
  options: { engine?: SchematronEngine } = {},
): Promise<FacturxError[]> {
  const engine = options.engine ?? 'fast';
  const [SaxonJS, rules] = await Promise.all([loadSaxon(), load(profile, engine)]);
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
    // A dynamic error inside the official rules (a value a rule cannot convert): the rules could
    // not be checked, so the file is not called valid. Reported, never thrown.
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        source: 'schematron',
        rule: 'schematron-not-run',
        message: `The rules could not be checked: ${message}`,
      },
    ];
  }
  const failed = engine === 'fast' ? fastFailures(SaxonJS, result, rules) : svrlFailures(SaxonJS, result);
  return failed.map(schematronError);
}

/** `<r><f a="assert index" l="location"/>…</r>`, in the official order (by pattern, then document). */
function fastFailures(
  SaxonJS: Saxon,
  result: { principalResult: SaxonNode },
  rules: CompiledSchematron,
): FailedAssert[] {
  const flat = SaxonJS.XPath.evaluate('/r/f/(string(@a), string(@l))', result.principalResult, {
    resultForm: 'array',
  }) as string[];
  const failed: Array<FailedAssert & { pattern: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const entry = rules.asserts[Number(flat[i])];
    if (!entry) throw new Error(`unknown Schematron assert ${flat[i]}`);
    failed.push({ id: entry.id, text: entry.text, location: flat[i + 1] ?? '', pattern: entry.pattern });
  }
  return failed.sort((a, b) => a.pattern - b.pattern);
}

/** The SVRL `failed-assert` elements of the official Schematron. */
function svrlFailures(SaxonJS: Saxon, result: { principalResult: SaxonNode }): FailedAssert[] {
  const flat = SaxonJS.XPath.evaluate(
    '//svrl:failed-assert/(string(@id), string(svrl:text), string(@location))',
    result.principalResult,
    { resultForm: 'array', namespaceContext: SVRL },
  ) as string[];
  const failed: FailedAssert[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    failed.push({ id: flat[i] ?? '', text: flat[i + 1] ?? '', location: flat[i + 2] ?? '' });
  }
  return failed;
}
