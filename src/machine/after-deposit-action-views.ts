import type { StructureSummary } from '../deposit/port.js';
import { AFTER_CHOICE } from './after-deposit-commands.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import { formatSiret } from './format.js';
import { CHOICE_LABELS, FIELD_HINTS } from './messages.js';
import type { Choice, View } from './view.js';

/** The views of the notification actions (after-deposit-actions.ts). */

/** Choice ids inside an action (≤ 32 chars: `act:siret:` + 14 digits = 24). */
export const ACTION_CHOICE = {
  send: 'act:send',
  cancel: 'act:cancel',
  siret: (siret: string) => `act:siret:${siret}`,
  service: (index: number) => `act:svc:${index}`,
  noService: 'act:svc:-',
} as const;

/** Where « Corriger le destinataire » is. */
export interface RecycleStep {
  step: 'recipient' | 'service' | 'confirm';
  siret?: string;
  name?: string;
  services?: { code: string; label: string }[];
  serviceRequired?: boolean;
  serviceCode?: string;
}

const cancelChoice: Choice = { id: ACTION_CHOICE.cancel, label: AFTER_CHOICES.cancel };

export function actionView(title: string, lines: string[], extra: Partial<View> = {}): View {
  const choices = [...(extra.choices ?? []), cancelChoice];
  return { kind: 'info', title, lines, ...extra, choices };
}

export function doneView(line: string): View {
  return {
    kind: 'info',
    lines: [line],
    choices: [
      { id: AFTER_CHOICE.invoices(1), label: AFTER_CHOICES.invoices },
      { id: 'help', label: CHOICE_LABELS.help },
    ],
  };
}

export function recycleViews(
  p: RecycleStep,
  invoiceNumber: string,
  error?: string,
  found: StructureSummary[] = [],
): View[] {
  const title = AFTER_TEXT.recycleTitle(invoiceNumber);
  const problem = error ? [`⚠ ${error}`] : [];
  if (p.step === 'recipient' || !p.siret) {
    return [
      actionView(title, [...problem, ...AFTER_TEXT.recycleAsk(invoiceNumber)], {
        choices: found.map((s) => ({
          id: ACTION_CHOICE.siret(s.siret),
          label: `${s.name} (${formatSiret(s.siret)})`,
        })),
        expectsText: { field: 'recipient', hint: FIELD_HINTS.recipient },
      }),
    ];
  }
  const name = p.name ?? formatSiret(p.siret);
  if (p.step === 'service') {
    const choices: Choice[] = (p.services ?? [])
      .slice(0, 20)
      .map((s, i) => ({ id: ACTION_CHOICE.service(i), label: `${s.code} – ${s.label}` }));
    if (!p.serviceRequired) choices.push({ id: ACTION_CHOICE.noService, label: AFTER_CHOICES.noService });
    return [
      actionView(title, [...problem, AFTER_TEXT.recycleService(name)], {
        choices,
        expectsText: { field: 'service', hint: FIELD_HINTS.service },
      }),
    ];
  }
  return [
    actionView(title, [...problem, AFTER_TEXT.recycleConfirm(name, p.serviceCode)], {
      choices: [{ id: ACTION_CHOICE.send, label: AFTER_CHOICES.confirmRecycle, style: 'primary' }],
    }),
  ];
}
