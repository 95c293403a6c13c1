/**
 * The conversation: the XState machine of one invoice draft (pure) and the ConversationService
 * channels talk to. Common first, expert last.
 */
export type * from './conversation-port.js';
export type * from './view.js';
export {
  createConversationService,
  MAX_PDF_BYTES,
  type ConversationServiceDeps,
  type RunningConversationService,
  type Clock,
} from './service.js';
export { draftMachine, MACHINE_VERSION, type DraftMachine } from './machine.js';
export { renderDraft, stepOf, describeStep, type Step } from './render.js';
export { textToEvent, choiceToEvent } from './interpret.js';
export { isConfirmation, isCancellation } from './answers.js';
export { parseCommand, type GlobalCommand } from './commands.js';
export { parseField, checkSiret } from './validate.js';
export { nextStep, blockProblems, toSubmission, requirementsOf } from './requirements.js';
export { parseAmountCents, formatCents, parseFrenchDate, formatDate, formatSiret } from './format.js';
export type {
  DraftContext,
  DraftEvent,
  FieldKey,
  FieldValues,
  Analysis,
  MachineInput,
  RecipientInfo,
} from './types.js';
