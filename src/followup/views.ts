import { statusLabel } from '../deposit/receipt-pdf.js';
import type { Choice, View } from '../machine/view.js';
import { FOLLOW_UP_ACTIONS, followUpChoiceId } from './actions.js';
import type { LateInterest } from './late-interest.js';
import { FOLLOW_UP_TEXT as T } from './messages.js';

/** The facts a notification is rendered from (stored in the outbox as JSON). */
export interface NotificationPayload {
  kind: 'status' | 'deadline';
  chorusInvoiceId: number;
  invoiceNumber: string;
  conversationId?: string;
  provisionalNumber?: string;
  recipientSiret: string;
  recipientName?: string;
  totalInclTaxCents: number;
  currency: string;
  depositedAt: string;
  status: string;
  /** When the status was set (ISO). */
  at: string;
  comment?: string;
  paymentDueBy?: string;
  paymentDays?: number;
  dueEstimated?: boolean;
  interrupted?: boolean;
  paidOn?: string;
  late?: LateInterest | null;
}

const choice = (
  action: (typeof FOLLOW_UP_ACTIONS)[keyof typeof FOLLOW_UP_ACTIONS],
  id: number,
  label: string,
  primary = false,
): Choice => ({
  id: followUpChoiceId(action, id),
  label,
  ...(primary ? { style: 'primary' as const } : {}),
});

function lateLines(late: LateInterest): string[] {
  return [
    late.paid ? T.late.paidLate(late.daysLate) : '',
    T.late.owed(late.interestCents, late.daysLate, late.rateBp, late.totalCents),
    late.paid ? '' : T.late.accruing,
    T.late.explanation,
    late.rateAssumed ? T.late.rateAssumed : '',
    T.late.reminderNext,
  ].filter(Boolean);
}

/** The channel-neutral view of one notification: French text with the next step and its buttons. */
export function notificationView(p: NotificationPayload): View {
  const id = p.chorusInvoiceId;
  const buyer = T.buyer(p.recipientName, p.recipientSiret);
  const lines: string[] = [T.invoiceRef(p.invoiceNumber, p.totalInclTaxCents, p.currency)];
  const choices: Choice[] = [];
  const due = () =>
    p.paymentDueBy && !p.paidOn
      ? [T.paymentDueLine(p.paymentDueBy, p.paymentDays ?? 30, p.dueEstimated ?? false)]
      : [];
  let title: string;
  if (p.kind === 'deadline') {
    title = T.titles.deadline!(p.invoiceNumber, '');
    lines.push(T.late.overdue(p.invoiceNumber, p.paymentDueBy ?? p.at.slice(0, 10)));
    if (p.late) lines.push(...lateLines(p.late));
    choices.push(choice(FOLLOW_UP_ACTIONS.reminder, id, T.buttons.reminder, true));
  } else {
    const label = statusLabel(p.status);
    title = (T.titles[p.status] ?? T.titles.other!)(p.invoiceNumber, label);
    const day = p.at.slice(0, 10);
    switch (p.status) {
      case 'MISE_A_DISPOSITION':
        lines.push(T.body.MISE_A_DISPOSITION(buyer, day), ...due(), T.nothingToDo);
        break;
      case 'PRISE_EN_COMPTE_DESTINATAIRE':
        lines.push(T.body.PRISE_EN_COMPTE_DESTINATAIRE(buyer), ...due());
        break;
      case 'SUSPENDUE':
        lines.push(
          T.body.SUSPENDUE(buyer),
          p.comment ? T.reason(p.comment) : T.noReason,
          T.interrupted,
          T.body.suspendedNext,
        );
        choices.push(choice(FOLLOW_UP_ACTIONS.complete, id, T.buttons.complete, true));
        break;
      case 'COMPLETEE':
        lines.push(T.body.COMPLETEE, ...due());
        break;
      case 'A_RECYCLER':
        lines.push(T.body.A_RECYCLER(buyer), ...(p.comment ? [T.reason(p.comment)] : []), T.body.recycleNext);
        choices.push(choice(FOLLOW_UP_ACTIONS.fixRecipient, id, T.buttons.fixRecipient, true));
        break;
      case 'REJETEE':
        lines.push(T.body.REJETEE(buyer), p.comment ? T.reason(p.comment) : T.noReason, T.body.rejectedNext);
        choices.push(choice(FOLLOW_UP_ACTIONS.newInvoice, id, T.buttons.newInvoice, true));
        break;
      case 'MISE_EN_PAIEMENT':
        lines.push(T.body.MISE_EN_PAIEMENT(p.paidOn ?? day));
        if (p.late) {
          lines.push(...lateLines(p.late));
          choices.push(choice(FOLLOW_UP_ACTIONS.reminder, id, T.buttons.reminder, true));
        } else lines.push(T.body.paidOnTime);
        break;
      case 'SERVICE_FAIT':
      case 'MANDATEE':
      case 'MISE_A_DISPOSITION_COMPTABLE':
      case 'COMPTABILISEE':
        lines.push(T.body[p.status], ...due(), T.nothingToDo);
        break;
      case 'ABANDONNEE':
      case 'SUPPRIMEE':
        lines.push(T.body[p.status]);
        break;
      default:
        lines.push(T.body.other(label), ...due());
    }
  }
  choices.push(choice(FOLLOW_UP_ACTIONS.status, id, T.buttons.status));
  return {
    kind: 'status',
    ...(p.conversationId ? { draftId: p.conversationId } : {}),
    ...(p.provisionalNumber ? { provisionalNumber: p.provisionalNumber } : {}),
    title,
    lines,
    choices,
  };
}
