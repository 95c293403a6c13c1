/**
 * A small stand-in for the ConversationService, for the channel's own tests: it keeps the
 * contract (idempotency keys, drafts, views with choices and revisions) and records every input
 * applied, so the tests can check that each message was applied exactly once. The end-to-end
 * scenarios (scenarios.test.ts) use the real service through createApp.
 */
import type {
  ChannelIdentity,
  ConversationService,
  HandleOptions,
  HandleResult,
  Notification,
  UserInput,
} from '../../../src/machine/conversation-port.js';
import type { View } from '../../../src/machine/view.js';

export interface AppliedInput {
  identity: ChannelIdentity;
  input: UserInput;
  options?: HandleOptions;
}

interface Draft {
  id: string;
  provisional: string;
  revision: number;
  recipient: string;
  state: 'open' | 'done' | 'cancelled';
}

export function createFakeConversation(allowed: string[], behaviour: { delayMs?: number } = {}) {
  const allowedSet = new Set(allowed.map((a) => a.toLowerCase()));
  const applied: AppliedInput[] = [];
  const byKey = new Map<string, View[]>();
  const drafts = new Map<string, Draft>();
  const current = new Map<string, string>();
  const listeners: Array<(n: Notification) => void | Promise<void>> = [];
  let seq = 0;
  // Draft ids unique across instances: the tests share one store (threads are keyed by draft id).
  const prefix = `t${Math.random().toString(36).slice(2, 7)}`;

  const reportView = (d: Draft, extra: string[] = []): View => ({
    kind: 'summary',
    draftId: d.id,
    provisionalNumber: d.provisional,
    revision: d.revision,
    title: 'Récapitulatif',
    lines: extra,
    blocks: [
      {
        id: 'destinataire',
        title: 'Destinataire',
        status: 'open',
        fields: [{ key: 'recipient', label: 'Destinataire', value: d.recipient, status: 'recognized' }],
      },
    ],
    choices: [
      { id: 'confirm', label: 'Confirmer', style: 'primary' },
      { id: 'cancel', label: 'Annuler', style: 'danger' },
    ],
  });

  function apply(identity: ChannelIdentity, input: UserInput, options?: HandleOptions): View[] {
    if (!allowedSet.has(identity.userId)) {
      if (input.type === 'link' && input.code === 'AbCdEf0123456789') {
        allowedSet.add(identity.userId);
        return [{ kind: 'linked', title: 'Adresse associée', lines: ['Votre adresse est associée.'], choices: [] }];
      }
      return [{ kind: 'access-denied', title: 'Accès refusé', lines: ['Adresse inconnue.'], choices: [] }];
    }
    if (input.type === 'file') {
      seq++;
      const d: Draft = {
        id: `${prefix}${seq}`,
        provisional: `PROV-2026-${String(seq).padStart(4, '0')}`,
        revision: 1,
        recipient: new TextDecoder().decode(input.bytes).match(/% (.*)/)?.[1] ?? '?',
        state: 'open',
      };
      drafts.set(d.id, d);
      current.set(identity.userId, d.id);
      return [reportView(d)];
    }
    const draftId = options?.draftId ?? (input.type === 'choice' ? input.draftId : undefined) ?? current.get(identity.userId);
    const d = draftId ? drafts.get(draftId) : undefined;
    if (!d) return [{ kind: 'help', title: 'Aide', lines: [`Reçu : ${input.type === 'text' ? input.text : input.type}`], choices: [] }];
    const word = input.type === 'choice' ? input.choiceId : input.type === 'text' ? input.text.toLowerCase() : '';
    if (input.type === 'choice' && input.revision !== d.revision) {
      return [{ kind: 'error', draftId: d.id, title: 'Choix périmé', lines: ['stale'], choices: [] }];
    }
    if (word === 'confirm' || word === 'confirmer') {
      d.state = 'done';
      d.revision++;
      return [
        {
          kind: 'receipt',
          draftId: d.id,
          provisionalNumber: d.provisional,
          revision: d.revision,
          title: 'Facture déposée',
          lines: [`Dépôt de ${d.recipient} accepté.`],
          choices: [],
          attachments: [{ kind: 'receipt-pdf', fileName: `recepisse-${d.provisional}.pdf`, mimeType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4 receipt') }],
        },
      ];
    }
    if (word === 'cancel' || word === 'annuler') {
      d.state = 'cancelled';
      d.revision++;
      return [{ kind: 'cancelled', draftId: d.id, revision: d.revision, title: 'Brouillon annulé', lines: [], choices: [] }];
    }
    const m = input.type === 'text' ? /^destinataire\s*:\s*(.+)$/i.exec(input.text) : null;
    if (m?.[1]) {
      d.recipient = m[1];
      d.revision++;
      return [reportView(d)];
    }
    return [{ kind: 'error', draftId: d.id, title: 'Incompris', lines: [`« ${word} » ?`], choices: [] }];
  }

  const service: ConversationService = {
    async handle(identity, input, options): Promise<HandleResult> {
      const key = options?.idempotencyKey;
      if (key && byKey.has(key)) return { views: byKey.get(key)!, duplicate: true };
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      applied.push({ identity, input, options });
      const views = apply(identity, input, options);
      if (key) byKey.set(key, views);
      return { views };
    },
    async welcome() {
      return [];
    },
    onNotification(_channel, listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    async isAllowed(identity) {
      return allowedSet.has(identity.userId);
    },
  };
  return {
    service,
    applied,
    drafts,
    async notify(n: Notification) {
      for (const l of listeners) await l(n);
    },
  };
}
