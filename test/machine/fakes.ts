import { createActor, fromPromise, waitFor, type SnapshotFrom } from 'xstate';
import type {
  BankAccount,
  DepositReceipt,
  Refusal,
  StructureSummary,
  Submission,
} from '../../src/deposit/port.js';
import { draftMachine } from '../../src/machine/machine.js';
import type { ActorFailure, Analysis, DraftEvent, RecipientInfo } from '../../src/machine/types.js';

/** Seed data (docs/ARCHITECTURE.md) as fake Chorus Pro answers for machine tests. */
export const COMMUNE: RecipientInfo = {
  structure: {
    idStructureCPP: 1001,
    siret: '21330063500017',
    name: 'Commune de Saint-Aubin-sur-Garonne',
    active: true,
  },
  rules: {
    structure: {
      idStructureCPP: 1001,
      siret: '21330063500017',
      name: 'Commune de Saint-Aubin-sur-Garonne',
      active: true,
    },
    serviceCodeRequired: false,
    engagementRequired: false,
    engagementOrServiceRequired: false,
    services: [],
  },
};
const ministryStructure = {
  idStructureCPP: 1004,
  siret: '11000001500013',
  name: 'Ministère de la Transition numérique',
  active: true,
};
export const MINISTRY: RecipientInfo = {
  structure: ministryStructure,
  rules: {
    structure: ministryStructure,
    serviceCodeRequired: true,
    engagementRequired: true,
    engagementOrServiceRequired: false,
    services: [
      { idService: 501, code: 'DNUM', label: 'Direction du numérique', active: true },
      { idService: 502, code: 'SG-ACHATS', label: 'Secrétariat général – achats', active: true },
      { idService: 503, code: 'OLD', label: 'Ancien service', active: false },
    ],
  },
};
const inactive = {
  idStructureCPP: 1006,
  siret: '21330099900017',
  name: 'Commune de Vieux-Bourg (fusionnée)',
  active: false,
};
export const INACTIVE: RecipientInfo = {
  structure: inactive,
  rules: {
    structure: inactive,
    serviceCodeRequired: false,
    engagementRequired: false,
    engagementOrServiceRequired: false,
    services: [],
  },
};
export const RECIPIENTS = [COMMUNE, MINISTRY, INACTIVE];

export const SUPPLIERS = [
  { idStructureCPP: 7001, siret: '91234567500017', name: 'Camille Martin EI (Bordeaux)' },
  { idStructureCPP: 7002, siret: '91234567500025', name: 'Camille Martin EI (Lyon)' },
];
export const BANKS: Record<number, BankAccount[]> = {
  7001: [
    { id: 31, label: 'Compte courant', ibanHint: 'FR76 •••• 0189' },
    { id: 32, label: 'Affacturage Sud-Ouest SA', ibanHint: 'FR76 •••• 4417', isFactor: true },
  ],
  7002: [{ id: 41, label: 'Compte Lyon', ibanHint: 'FR76 •••• 2222' }],
};

export function cleanAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    unusable: false,
    advice: [],
    recognized: {
      invoiceNumber: 'F-2026-001',
      invoiceDate: '2026-03-15',
      recipient: '21330063500017',
      totalExclTax: 125000,
      totalTax: 25000,
      totalInclTax: 150000,
      supplierSiret: '91234567500017',
    },
    pieceJointeId: 9001,
    suppliers: [SUPPLIERS[0]!],
    bankAccounts: [BANKS[7001]![0]!],
    recipient: COMMUNE,
    ...overrides,
  };
}

export interface FakeOptions {
  analysis?: Analysis | (() => Promise<Analysis>);
  precheck?: (s: Submission) => Refusal[];
  /** Failures thrown by successive submits before success. */
  submitFailures?: ActorFailure[];
}

export function fakeMachine(options: FakeOptions = {}) {
  const calls = { submit: [] as Submission[], precheck: 0, lookups: [] as string[] };
  const failures = [...(options.submitFailures ?? [])];
  const machine = draftMachine.provide({
    actors: {
      analyseInvoice: fromPromise(async () =>
        typeof options.analysis === 'function' ? options.analysis() : (options.analysis ?? cleanAnalysis()),
      ),
      lookupRecipient: fromPromise(async ({ input }: { input: { siret: string } }) => {
        calls.lookups.push(input.siret);
        return RECIPIENTS.find((r) => r.structure.siret === input.siret) ?? null;
      }),
      searchStructures: fromPromise(
        async ({ input }: { input: { prefix: string } }): Promise<StructureSummary[]> =>
          RECIPIENTS.map((r) => r.structure).filter((s) => s.siret.startsWith(input.prefix)),
      ),
      loadBankAccounts: fromPromise(
        async ({ input }: { input: { supplierId: number } }) => BANKS[input.supplierId] ?? [],
      ),
      precheck: fromPromise(async ({ input }: { input: { draftId: string; submission: Submission } }) => {
        calls.precheck++;
        return options.precheck?.(input.submission) ?? [];
      }),
      submitInvoice: fromPromise(
        async ({
          input,
        }: {
          input: { draftId: string; submission: Submission; attempt: number };
        }): Promise<DepositReceipt> => {
          calls.submit.push(input.submission);
          const failure = failures.shift();
          if (failure) throw failure;
          const s = input.submission;
          return {
            chorusInvoiceId: 100 + calls.submit.length,
            invoiceNumber: s.invoiceNumber,
            depositedAt: '2026-03-16T09:00:00.000Z',
            status: 'DEPOSEE',
            recipientSiret: s.recipientSiret,
            cadre: s.cadre,
            totalExclTaxCents: s.totalExclTaxCents,
            totalTaxCents: s.totalTaxCents,
            totalInclTaxCents: s.totalInclTaxCents,
            currency: s.currency,
          };
        },
      ),
    },
    delays: { submitRetryDelay: 1 },
  });
  return { machine, calls };
}

export type DraftSnapshot = SnapshotFrom<typeof draftMachine>;

/** Runs a draft with fake actors; `send` waits until the machine rests (no actor running). */
export async function startDraft(options: FakeOptions = {}) {
  const { machine, calls } = fakeMachine(options);
  const actor = createActor(machine, {
    input: { draftId: 'd1', provisionalNumber: 'PROV-2026-0001', fileName: 'facture.pdf', fileSize: 1234 },
  });
  actor.start();
  const settle = () => waitFor(actor, (s) => !s.hasTag('busy') || s.status !== 'active', { timeout: 2000 });
  await settle();
  return {
    actor,
    calls,
    get snapshot() {
      return actor.getSnapshot();
    },
    async send(event: DraftEvent) {
      actor.send(event);
      await settle();
      return actor.getSnapshot();
    },
  };
}

/** Sends typed text as the service would (interpretation + SEEN after rendering). */
export async function say(draft: Awaited<ReturnType<typeof startDraft>>, text: string, today = '2026-03-20') {
  const { textToEvent } = await import('../../src/machine/interpret.js');
  const { renderDraft } = await import('../../src/machine/render.js');
  await draft.send(textToEvent(draft.snapshot, text, today));
  const views = renderDraft(draft.snapshot);
  if (draft.snapshot.status === 'active') await draft.send({ type: 'SEEN' });
  return views;
}
