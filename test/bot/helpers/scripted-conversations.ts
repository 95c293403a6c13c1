import type {
  ChannelIdentity,
  ChannelKind,
  ConversationService,
  HandleOptions,
  HandleResult,
  Notification,
  UserInput,
} from '../../../src/machine/conversation-port.js';
import type { BlockId, View } from '../../../src/machine/view.js';

const BLOCKS: BlockId[] = ['cadre', 'identification', 'destinataire'];

interface Draft {
  id: string;
  revision: number;
  step: number; // index in BLOCKS, then BLOCKS.length = summary, +1 = sent
  editing: boolean;
  invoiceNumber: string;
}

/**
 * A small, deterministic ConversationService for the channel's own tests: three blocks, a summary,
 * a receipt; idempotency keys; revisions; linking with the code `GOODCODE`. It holds no business
 * rule of Facteur — the scenario suite runs the real service.
 */
export class ScriptedConversations implements ConversationService {
  readonly inputs: Array<{ identity: ChannelIdentity; input: UserInput; options?: HandleOptions }> = [];
  readonly linked = new Set<string>();
  readonly drafts = new Map<string, Draft>();
  readonly current = new Map<string, string>();
  private readonly results = new Map<string, HandleResult>();
  private listeners: Array<(n: Notification) => Promise<void> | void> = [];
  private nextDraft = 1;
  /** Set to delay (or hang) `handle`; resolved per call. */
  gate: (() => Promise<void>) | undefined;
  failNext = false;
  allowedChecks = 0;

  async isAllowed(identity: ChannelIdentity): Promise<boolean> {
    this.allowedChecks += 1;
    return this.linked.has(identity.userId);
  }

  async welcome(identity: ChannelIdentity): Promise<View[]> {
    return this.linked.has(identity.userId)
      ? [{ kind: 'welcome', title: 'Bonjour', lines: ['Envoyez une facture PDF.'], choices: [] }]
      : [
          {
            kind: 'access-denied',
            title: 'Accès réservé',
            lines: ['Demandez un lien d’invitation.'],
            choices: [],
          },
        ];
  }

  onNotification(channel: ChannelKind, listener: (n: Notification) => Promise<void> | void): () => void {
    if (channel !== 'telegram') return () => undefined;
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  async notify(userId: string, view: View): Promise<void> {
    for (const l of this.listeners) await l({ identity: { channel: 'telegram', userId }, view });
  }

  async handle(identity: ChannelIdentity, input: UserInput, options?: HandleOptions): Promise<HandleResult> {
    this.inputs.push({ identity, input, options });
    if (this.gate) await this.gate();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('service exploded');
    }
    const key = options?.idempotencyKey;
    const previous = key ? this.results.get(key) : undefined;
    if (previous) return { ...previous, duplicate: true };
    const result = { views: this.apply(identity, input, options) };
    if (key) this.results.set(key, result);
    return result;
  }

  private apply(identity: ChannelIdentity, input: UserInput, options?: HandleOptions): View[] {
    const user = identity.userId;
    if (input.type === 'link') {
      if (input.code !== 'GOODCODE')
        return [{ kind: 'error', lines: ['Ce lien n’est pas valable.'], choices: [] }];
      this.linked.add(user);
      return [{ kind: 'linked', title: 'Compte rattaché', lines: ['Bienvenue Camille.'], choices: [] }];
    }
    if (!this.linked.has(user)) return [{ kind: 'access-denied', lines: ['Accès réservé.'], choices: [] }];
    if (input.type === 'file') {
      const draft: Draft = {
        id: `dr${this.nextDraft++}`,
        revision: 1,
        step: 0,
        editing: false,
        invoiceNumber: 'F-1',
      };
      this.drafts.set(draft.id, draft);
      this.current.set(user, draft.id);
      const preview = {
        kind: 'preview-png' as const,
        fileName: 'apercu.png',
        mimeType: 'image/png',
        bytes: input.bytes.slice(0, 8),
      };
      return [
        {
          kind: 'report',
          draftId: draft.id,
          revision: 1,
          title: `Rapport ${input.fileName} (${input.bytes.length} octets)`,
          lines: ['3 champs reconnus'],
          choices: [],
          attachments: [preview],
        },
        this.view(draft),
      ];
    }
    if (input.type === 'text' && !this.current.has(user)) {
      return [{ kind: 'help', lines: [`Aide (${input.text})`], choices: [] }];
    }
    const draft = this.drafts.get(options?.draftId ?? this.current.get(user) ?? '');
    if (!draft) return [{ kind: 'error', lines: ['Aucun brouillon.'], choices: [] }];
    if (input.type === 'choice') {
      if (input.revision !== undefined && input.revision !== draft.revision) {
        return [{ kind: 'info', lines: ['Ce brouillon a changé (service)'], choices: [] }];
      }
      draft.revision += 1;
      if (input.choiceId === 'edit') draft.editing = true;
      else if (input.choiceId === 'ok') draft.step += 1;
      return [this.view(draft)];
    }
    if (input.type === 'text' && draft.editing) {
      draft.revision += 1;
      draft.editing = false;
      draft.invoiceNumber = input.text;
      return [{ kind: 'info', lines: ['Corrigé.'], choices: [] }, this.view(draft)];
    }
    return [{ kind: 'help', lines: [`Aide (${input.type === 'text' ? input.text : ''})`], choices: [] }];
  }

  private view(draft: Draft): View {
    const base = { draftId: draft.id, revision: draft.revision, provisionalNumber: `PROV-${draft.id}` };
    if (draft.step < BLOCKS.length) {
      const block = BLOCKS[draft.step]!;
      return {
        ...base,
        kind: 'block',
        title: `Bloc ${draft.step + 1}/3`,
        lines: draft.editing ? ['Tapez la valeur'] : [],
        blocks: [
          {
            id: block,
            title: block,
            status: 'open',
            fields: [
              { key: 'invoiceNumber', label: 'Numéro', value: draft.invoiceNumber, status: 'recognized' },
            ],
          },
        ],
        choices: draft.editing
          ? []
          : [
              { id: 'ok', label: '✅ Confirmer' },
              { id: 'edit', label: '✏️ Corriger' },
            ],
        ...(draft.editing ? { expectsText: { field: 'invoiceNumber', hint: 'Tapez le numéro' } } : {}),
      };
    }
    if (draft.step === BLOCKS.length) {
      return {
        ...base,
        kind: 'summary',
        title: 'Récapitulatif',
        lines: [`Facture ${draft.invoiceNumber}`],
        choices: [
          { id: 'ok', label: 'Confirmer et envoyer' },
          { id: 'cancel', label: 'Annuler' },
        ],
      };
    }
    return {
      ...base,
      kind: 'receipt',
      title: 'Facture déposée',
      lines: ['Numéro Chorus : 1001'],
      choices: [],
      attachments: [
        {
          kind: 'receipt-pdf',
          fileName: 'récapitulatif dépôt.pdf',
          mimeType: 'application/pdf',
          bytes: new TextEncoder().encode('%PDF-1.4 receipt'),
        },
      ],
    };
  }
}
