import { formatDateTime } from './format.js';
import { CHOICE_LABELS, SERVICE_TEXT } from './messages.js';
import type { Choice, View } from './view.js';

/** The views the service shows outside one draft's machine (help, drafts list, errors…). */

export const helpChoices = (): Choice[] => [
  { id: 'drafts', label: CHOICE_LABELS.drafts },
  { id: 'help', label: CHOICE_LABELS.help },
];

export function welcomeView(name?: string): View {
  return {
    kind: 'welcome',
    title: SERVICE_TEXT.welcomeTitle,
    lines: SERVICE_TEXT.welcome(name),
    choices: helpChoices(),
  };
}

export function helpView(): View {
  return {
    kind: 'help',
    title: SERVICE_TEXT.helpTitle,
    lines: [...SERVICE_TEXT.help],
    choices: [{ id: 'drafts', label: CHOICE_LABELS.drafts }],
  };
}

export function accessDeniedView(): View {
  return {
    kind: 'access-denied',
    title: SERVICE_TEXT.accessDeniedTitle,
    lines: [...SERVICE_TEXT.accessDenied],
    choices: [{ id: 'help', label: CHOICE_LABELS.help }],
  };
}

export function linkedView(accountName: string): View {
  return {
    kind: 'linked',
    title: SERVICE_TEXT.linkedTitle,
    lines: SERVICE_TEXT.linked(accountName),
    choices: helpChoices(),
  };
}

export function infoView(lines: string[], extra: Partial<View> = {}): View {
  return { kind: 'info', lines, choices: helpChoices(), ...extra };
}

export function errorView(line: string, extra: Partial<View> = {}): View {
  return { kind: 'error', lines: [line], choices: helpChoices(), ...extra };
}

export interface DraftLine {
  draftId: string;
  provisionalNumber: string;
  what: string;
  updatedAt: string;
  current: boolean;
}

export function draftsView(drafts: DraftLine[]): View {
  if (drafts.length === 0) {
    return {
      kind: 'drafts',
      title: SERVICE_TEXT.draftsTitle,
      lines: [SERVICE_TEXT.noDrafts],
      choices: [{ id: 'help', label: CHOICE_LABELS.help }],
    };
  }
  return {
    kind: 'drafts',
    title: SERVICE_TEXT.draftsTitle,
    lines: [
      ...drafts.map((d) =>
        SERVICE_TEXT.draftLine(d.provisionalNumber, d.what, formatDateTime(d.updatedAt), d.current),
      ),
      SERVICE_TEXT.draftsHint,
    ],
    choices: drafts
      .slice(0, 10)
      .map((d) => ({ id: `resume:${d.draftId}`, label: CHOICE_LABELS.resume(d.provisionalNumber) })),
  };
}

export function staleView(): View {
  return {
    kind: 'info',
    title: SERVICE_TEXT.staleTitle,
    lines: [SERVICE_TEXT.stale],
    choices: helpChoices(),
  };
}

export function reminderView(provisionalNumber: string, draftId: string): View {
  return {
    kind: 'reminder',
    title: SERVICE_TEXT.reminderTitle,
    draftId,
    provisionalNumber,
    lines: [SERVICE_TEXT.reminder(provisionalNumber)],
    choices: [{ id: `resume:${draftId}`, label: CHOICE_LABELS.resume(provisionalNumber) }],
  };
}

export function statusView(lines: string[], extra: Partial<View> = {}): View {
  return { kind: 'status', title: SERVICE_TEXT.statusTitle, lines, choices: helpChoices(), ...extra };
}
