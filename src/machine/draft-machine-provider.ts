import { fromPromise } from 'xstate';

/** An actor system, used only as the key of its draft's actors. */
type AnyActorSystem = object;
import type { Submission } from '../deposit/port.js';
import { draftActorsFor, type DraftActorDeps, type DraftActorImpl, type DraftScope } from './draft-actors.js';
import { draftMachine } from './machine.js';

/**
 * The draft machine with its real actors, provided once per runner: `draftMachine.provide()`
 * rebuilds the whole state chart (every state node and transition), which cost more than the rest
 * of a conversation step. Each running draft binds its own actors (`draftActorsFor`) to its actor
 * system; the provided actors find them there.
 */
export function createDraftMachineProvider(deps: DraftActorDeps) {
  const bound = new WeakMap<AnyActorSystem, DraftActorImpl>();
  const of = (system: AnyActorSystem): DraftActorImpl => {
    const impl = bound.get(system);
    if (!impl) throw new Error('draft actor started outside a bound draft');
    return impl;
  };

  const machine = draftMachine.provide({
    actors: {
      analyseInvoice: fromPromise(({ system }) => of(system).analyseInvoice()),
      lookupRecipient: fromPromise(
        ({ input, system }: { input: { siret: string }; system: AnyActorSystem }) =>
          of(system).lookupRecipient(input.siret),
      ),
      searchStructures: fromPromise(
        ({ input, system }: { input: { prefix: string }; system: AnyActorSystem }) =>
          of(system).searchStructures(input.prefix),
      ),
      loadBankAccounts: fromPromise(
        ({ input, system }: { input: { supplierId: number }; system: AnyActorSystem }) =>
          of(system).loadBankAccounts(input.supplierId),
      ),
      precheck: fromPromise(
        ({ input, system }: { input: { draftId: string; submission: Submission }; system: AnyActorSystem }) =>
          of(system).precheck(input.submission),
      ),
      submitInvoice: fromPromise(
        ({
          input,
          system,
        }: {
          input: { draftId: string; submission: Submission; attempt: number; flux?: boolean };
          system: AnyActorSystem;
        }) => of(system).submitInvoice(input),
      ),
    },
    delays: {
      submitRetryDelay: ({ context }) =>
        deps.submitRetryDelayMs * 2 ** Math.max(0, context.submitAttempts - 1),
    },
  });

  return {
    machine,
    /** Binds one draft's actors to the actor about to run it (before `start()`). */
    bind(actor: { system: AnyActorSystem }, scope: DraftScope): void {
      bound.set(actor.system, draftActorsFor(deps, scope));
    },
  };
}
