/**
 * The committed pdf-lib fixtures come from code: rebuilding them now must still give reports
 * that match the committed ground truth (catches a generator or engine change that would leave
 * test/fixtures/generated/ stale). Runs in-thread: no process, no worker. Fixtures the engine
 * does not read right yet are listed in PENDING_ENGINE (test/fixtures/pending-engine.ts).
 */
import { describe, expect, it } from 'vitest';
import { inspectInThread } from '../../src/recognition/index.js';
import { PDF_LIB_FIXTURES } from '../fixtures/pdf-lib-fixtures.js';
import { expectTruth } from '../fixtures/pending-engine.js';
import { violationMessage } from '../../src/recognition/messages.js';
import { RULE_IDS, FIELD_KEYS } from '../../src/recognition/types.js';

describe('pdf-lib fixture generator', () => {
  it.each(PDF_LIB_FIXTURES.map((f) => [f.name, f] as const))(
    '%s rebuilt from code matches its truth',
    async (name, f) => {
      const report = await inspectInThread(await f.build(), `${name}.pdf`);
      expectTruth(name, report, f.truth);
    },
  );
});

describe('advice messages', () => {
  it('has a French sentence for every rule and field', () => {
    for (const rule of RULE_IDS) {
      for (const field of FIELD_KEYS) {
        // The full context a report gives (the Factur-X rules name the profile and both values).
        const m = violationMessage(rule, {
          field,
          page: 4,
          keyword: 'SIRET client',
          profile: 'MINIMUM',
          errorCount: 2,
          printed: 'F-2026-0042',
          xml: 'F-2026-0043',
        });
        expect(m).toMatch(/^[A-ZÀ-Ýa-z«].{20,}[.)]$/);
        expect(m).not.toMatch(/undefined|\?/);
      }
    }
    expect(violationMessage('missing-keyword', { field: 'invoiceDate' })).toBe(
      'Annoncez la date de facture par le mot-clé « Date de facture » suivi d’un espace et de la valeur, sur la même ligne.',
    );
  });
});
