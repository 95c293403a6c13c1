/**
 * Model-based checks of the draft machine with XState's graph utilities: the whole state graph
 * is explored with a representative set of user inputs and actor outcomes, then every state must
 * be reachable, every reachable state must lead to an end (submitted or cancelled; resting states
 * are drafts), no state is a dead end, and every view the user can land on offers a way forward.
 */
import { describe, expect, it } from 'vitest';
import { getAdjacencyMap } from 'xstate/graph';
import type { AnyStateNode } from 'xstate';

type AnyEvent = { type: string; [key: string]: unknown };
interface Edge {
  state: unknown;
}
import { draftMachine } from '../../src/machine/machine.js';
import { renderDraft, stepOf } from '../../src/machine/render.js';
import { choiceToEvent } from '../../src/machine/interpret.js';
import { choiceToCommand } from '../../src/machine/commands.js';
import { facturxOutChoice } from '../../src/machine/facturx-out-commands.js';
import { blockProblems } from '../../src/machine/requirements.js';
import { BLOCK_FIELDS, BLOCK_ORDER, type DraftContext, type FieldKey } from '../../src/machine/types.js';
import { BANKS, cleanAnalysis, COMMUNE, MINISTRY, SUPPLIERS } from './fakes.js';

type Snap = ReturnType<typeof draftMachine.transition>;

const done = (id: string, output: unknown) => ({ type: `xstate.done.actor.${id}`, output });
const error = (id: string, err: unknown) => ({ type: `xstate.error.actor.${id}`, error: err });
const transient = { code: 'chorus-unreachable', message: 'Chorus Pro ne répond pas.', transient: true };
const fatal = { code: 'chorus-auth-failed', message: 'Identifiants refusés.', transient: false };
const refusal = {
  code: 'chorus-refused',
  message: 'Refus',
  transient: false,
  refusals: [{ code: 'invoice-number-used', message: 'Numéro déjà utilisé.' }],
};
const fluxRejected = {
  code: 'flux-rejected',
  message: 'Chorus Pro a rejeté le flux Factur-X',
  transient: false,
  reasons: ['Ce destinataire exige un code service, absent des données Factur-X (référence acheteur).'],
};
const receipt = {
  chorusInvoiceId: 1,
  invoiceNumber: 'F-1',
  depositedAt: '2026-03-16T09:00:00.000Z',
  status: 'DEPOSEE',
  recipientSiret: '21330063500017',
  cadre: 'A1',
  totalExclTaxCents: 1,
  totalTaxCents: 0,
  totalInclTaxCents: 1,
  currency: 'EUR',
};

/** One valid and one invalid typed value per field. */
const SAMPLES: Record<FieldKey, [string, string]> = {
  cadre: ['A9', 'Z3'],
  validator: ['21330063500017', '123'],
  invoiceNumber: ['F-2', 'bad number with spaces'],
  invoiceDate: ['01/03/2026', '31/02/2026'],
  invoiceType: ['avoir', 'devis'],
  recipient: ['11000001500013', '21330063500018'],
  service: ['SG-ACHATS', 'NOPE'],
  supplier: ['7002', '1'],
  engagement: ['1234567890', 'x'.repeat(60)],
  market: ['aucun', 'x'.repeat(60)],
  currency: ['EUR', 'euro dollars'],
  vatRegime: ['sans', 'bof'],
  totalExclTax: ['1000', 'abc'],
  totalTax: ['200', 'abc'],
  totalInclTax: ['1200', 'abc'],
  bankAccount: ['32', '999'],
};

function eventsFor(snapshot: Snap): AnyEvent[] {
  const value = snapshot.value;
  const ctx = snapshot.context as DraftContext;
  const events: AnyEvent[] = [
    { type: 'CONFIRM' },
    { type: 'BACK' },
    { type: 'CANCEL' },
    { type: 'RETRY' },
    { type: 'EXPIRE' },
    { type: 'EDIT' },
    { type: 'NOT_UNDERSTOOD', text: '?' },
    { type: 'PLAIN_PDF' },
  ];
  for (const block of BLOCK_ORDER) events.push({ type: 'EDIT', block });
  const step = stepOf(value);
  if (step.kind === 'block') {
    for (const field of BLOCK_FIELDS[step.block]) {
      events.push({ type: 'EDIT', field });
      for (const v of SAMPLES[field]) events.push({ type: 'SET', field, value: v, today: '2026-03-20' });
    }
    if (step.block === 'destinataire')
      events.push({ type: 'SEARCH', prefix: '2133' }, { type: 'SEARCH', prefix: '99' });
  }
  if (value === 'analysing') {
    events.push(
      done('analyseInvoice', cleanAnalysis()),
      done(
        'analyseInvoice',
        cleanAnalysis({ recognized: {}, recipient: null, suppliers: SUPPLIERS, bankAccounts: BANKS[7001]! }),
      ),
      done('analyseInvoice', { ...cleanAnalysis(), unusable: true }),
      error('analyseInvoice', transient),
    );
  }
  const active =
    typeof value === 'object' ? (value as { active?: Record<string, string> }).active : undefined;
  const sub = active && typeof active === 'object' ? Object.values(active)[0] : undefined;
  if (sub === 'lookingUp') {
    const siret = ctx.values.recipient;
    events.push(
      done('lookupRecipient', siret === MINISTRY.structure.siret ? MINISTRY : COMMUNE),
      done('lookupRecipient', null),
      error('lookupRecipient', transient),
    );
  }
  if (sub === 'searching')
    events.push(
      done('searchStructures', [COMMUNE.structure]),
      done('searchStructures', []),
      error('searchStructures', transient),
    );
  if (sub === 'loadingBank')
    events.push(done('loadBankAccounts', BANKS[7002]), error('loadBankAccounts', transient));
  if (value === 'prechecking')
    events.push(done('precheck', []), done('precheck', refusal.refusals), error('precheck', transient));
  if (value === 'submitting') {
    events.push(
      done('submitInvoice', receipt),
      error('submitInvoice', transient),
      error('submitInvoice', refusal),
      error('submitInvoice', fatal),
      error('submitInvoice', fluxRejected),
    );
  }
  if (value === 'submitRetryWait')
    events.push({ type: 'xstate.after.submitRetryDelay.draft.submitRetryWait' });
  return events;
}

/** Value plus what shapes the conversation (which fields are missing, not every typed value). */
function serialize(snapshot: Snap): string {
  const c = snapshot.context as DraftContext;
  return JSON.stringify([
    snapshot.value,
    c.editing,
    Object.keys(c.confirmed).sort().join(),
    BLOCK_ORDER.map((b) =>
      blockProblems(c, b)
        .map((p) => p.field)
        .join('+'),
    ).join('|'),
    c.recipientInfo?.structure.siret ?? null,
    c.suppliers.length,
    c.submitAttempts,
    c.refusals.length > 0,
  ]);
}

const FINAL = new Set(['submitted', 'cancelled', 'rejected', 'expired']);

describe('draft machine as a graph', () => {
  const input = { draftId: 'd1', provisionalNumber: 'PROV-2026-0001', fileName: 'f.pdf', fileSize: 10 };
  const adjacency = getAdjacencyMap(draftMachine, {
    input,
    events: eventsFor as never,
    serializeState: (s) => serialize(s as Snap) as never,
    limit: 200_000,
  });
  const entries = Object.entries(adjacency) as Array<
    [string, { state: unknown; transitions: Record<string, Edge> }]
  >;
  const byKey = new Map(entries);

  it('explores a bounded graph', () => {
    expect(entries.length).toBeGreaterThan(100);
  });

  it('reaches every state of the machine', () => {
    const reached = new Set<string>();
    for (const [, { state }] of entries) for (const node of (state as Snap)._nodes) reached.add(node.id);
    const all: string[] = [];
    const walk = (node: AnyStateNode) => {
      if (node.type !== 'history') all.push(node.id);
      for (const child of Object.values(node.states)) walk(child as AnyStateNode);
    };
    walk(draftMachine.root);
    // Transient routing states are entered and left within one macrostep: never observed at rest.
    const transient = (id: string) => id.endsWith('.route') || id.endsWith('.checking');
    const missing = all.filter((id) => !transient(id) && !reached.has(id));
    expect(missing).toEqual([]);
  });

  it('leads from every reachable state to an end (submitted or cancelled)', () => {
    const ends = new Set<string>();
    const reverse = new Map<string, Set<string>>();
    for (const [key, { state, transitions }] of entries) {
      if (FINAL.has(String((state as Snap).value))) ends.add(key);
      for (const t of Object.values(transitions)) {
        const target = serialize(t.state as Snap);
        if (!reverse.has(target)) reverse.set(target, new Set());
        reverse.get(target)!.add(key);
      }
    }
    const canEnd = new Set(ends);
    const queue = [...ends];
    while (queue.length > 0) {
      const k = queue.pop()!;
      for (const prev of reverse.get(k) ?? []) {
        if (canEnd.has(prev)) continue;
        canEnd.add(prev);
        queue.push(prev);
      }
    }
    const stuck = entries
      .filter(([key]) => !canEnd.has(key))
      .map(([, v]) => JSON.stringify((v.state as Snap).value));
    expect(stuck).toEqual([]);
    const endValues = new Set([...ends].map((k) => String((byKey.get(k)!.state as Snap).value)));
    expect([...endValues].sort()).toEqual(['cancelled', 'expired', 'rejected', 'submitted']);
  });

  it('has no dead end: every non-final state has a transition that changes it', () => {
    const dead = entries
      .filter(([key, { state, transitions }]) => {
        if ((state as Snap).status !== 'active') return false;
        return Object.values(transitions).every((t) => serialize(t.state as Snap) === key);
      })
      .map(([key]) => key);
    expect(dead).toEqual([]);
  });

  it('renders, for every resting state, views whose choices all lead somewhere (ids ≤ 32 chars)', () => {
    let checked = 0;
    for (const [key, { state }] of entries) {
      const snap = state as Snap;
      if (snap.status === 'active' && snap.hasTag('busy')) continue;
      const views = renderDraft(snap);
      expect(views.length, key).toBeGreaterThan(0);
      const last = views[views.length - 1]!;
      expect(last.choices.length, `${key} offers no way forward`).toBeGreaterThan(0);
      for (const view of views) {
        for (const choice of view.choices) {
          expect(choice.id.length, choice.id).toBeLessThanOrEqual(32);
          expect(
            choiceToEvent(choice.id) ?? choiceToCommand(choice.id) ?? facturxOutChoice(choice.id),
            `${key}: ${choice.id}`,
          ).toBeDefined();
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
