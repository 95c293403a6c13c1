/**
 * Contract tests against the official PISTE swagger of the Structures API
 * (test/deposit/official/structures-api.swagger.json, carried with its provenance note): every request
 * the client sends validates against its definition, and so does every simulator answer. Objects
 * are checked closed (no property the swagger does not declare), so an invented field fails.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, SIRET, depositFresh, invoicePdf, startHarness, submission, type Harness } from './helpers.js';

const SWAGGER = fileURLToPath(new URL('./official/structures-api.swagger.json', import.meta.url));

interface Swagger {
  basePath: string;
  paths: Record<
    string,
    {
      post: {
        parameters: Array<{ in: string; schema?: { $ref: string } }>;
        responses: Record<string, { schema?: { $ref: string } }>;
      };
    }
  >;
  definitions: Record<string, unknown>;
}

/** Closes every object schema: properties the swagger does not list are errors. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' ? v : closed(v);
  if (out.type === 'object' && out.properties) out.additionalProperties = false;
  return out;
}

const swagger = JSON.parse(readFileSync(SWAGGER, 'utf8')) as Swagger;
// ajv-draft-04 is CommonJS: under NodeNext its default import is the module object.
type AjvClass = typeof AjvModule.default;
const Ajv: AjvClass =
  (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ definitions: closed(swagger.definitions) }, 'swagger');

function validator(path: string, kind: 'request' | 'response') {
  const op = swagger.paths[path]!.post;
  const ref =
    kind === 'request'
      ? op.parameters.find((p) => p.in === 'body')!.schema!.$ref
      : op.responses['200']!.schema!.$ref;
  const validate = ajv.getSchema(`swagger${ref}`);
  if (!validate) throw new Error(`no schema for ${ref}`);
  return (data: unknown) => {
    const valid = validate(data);
    return valid ? 'ok' : ajv.errorsText(validate.errors);
  };
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ lifecycle: false });
  // The whole recipient flow, then a precheck and a submission: every structures call the client makes.
  for (const siret of Object.values(SIRET)) {
    const [found] = await h.service.searchStructures(DEMO, siret);
    if (found) await h.service.recipientRules(DEMO, found.idStructureCPP);
  }
  await h.service.searchStructures(DEMO, '2133');
  const piece = await depositFresh(h, await invoicePdf());
  const s = submission(piece, { recipientSiret: SIRET.hospital, serviceCode: 'PHARMACIE' });
  await h.service.precheck(DEMO, s);
});
afterAll(() => h?.close());

describe('requests the client sends to the Structures API', () => {
  const paths = Object.keys(swagger.paths);

  it('cover the four operations Facteur uses', () => {
    const used = new Set(
      h.sent
        .filter((r) => r.url.includes('/cpro/structures/'))
        .map((r) => r.url.split('/cpro/structures')[1]),
    );
    expect([...used].sort()).toEqual([
      '/v1/consulter',
      '/v1/consulter/service',
      '/v1/rechercher',
      '/v1/rechercher/services',
    ]);
    for (const p of used) expect(paths).toContain(p);
  });

  it('each validates against the swagger definition', () => {
    const structureCalls = h.sent.filter((r) => r.url.includes('/cpro/structures/'));
    expect(structureCalls.length).toBeGreaterThan(10);
    for (const call of structureCalls) {
      const path = call.url.split('/cpro/structures')[1]!;
      expect(`${path}: ${validator(path, 'request')(call.body)}`).toBe(`${path}: ok`);
    }
  });

  it('the check can fail: an undeclared or mistyped field is reported', () => {
    const check = validator('/v1/consulter', 'request');
    expect(check({ idStructureCPP: 1, codeLangue: 'fr' })).toBe('ok');
    expect(check({ idStructure: 1 })).not.toBe('ok');
    expect(check({ idStructureCPP: '1' })).not.toBe('ok');
  });
});

describe('simulator answers of the Structures API', () => {
  it('each validates against the swagger definition', async () => {
    const bodies: Array<[string, unknown]> = [
      [
        '/v1/rechercher',
        {
          structure: { identifiantStructure: '2', typeIdentifiantStructure: 'SIRET' },
          parametres: { nbResultatsParPage: 100, pageResultatDemandee: 1 },
        },
      ],
      ['/v1/consulter', { idStructureCPP: 25000401, codeLangue: 'fr' }],
      ['/v1/consulter', { idStructureCPP: 26100001 }],
      ['/v1/rechercher/services', { idStructure: 25000201 }],
      ['/v1/consulter/service', { idStructure: 25000201, idService: 3000202 }],
    ];
    const token = (await (
      await fetch(h.sim.oauthUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'facteur-simulator',
          client_secret: 'facteur-simulator-secret',
        }),
      })
    ).json()) as { access_token: string };
    for (const [path, body] of bodies) {
      const response = await fetch(`${h.sim.apiUrl}/structures${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.access_token}`,
          'cpro-account': Buffer.from('demo:demo').toString('base64'),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const json = await response.json();
      expect(`${path}: ${validator(path, 'response')(json)}`).toBe(`${path}: ok`);
    }
  });
});
