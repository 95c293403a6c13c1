import type { ChannelStateStore } from '../app/channel.js';

export const STATE_NAMESPACE = 'telegram';

/** A message of a draft in a chat: its id, and whether it still shows buttons. */
export interface SlotMessage {
  id: number;
  keyboard: boolean;
  /** The HTML it shows, to mark it with the answer given once the conversation moved on. */
  html?: string;
  /** Its buttons (JSON), so an edit to the same text and buttons is never sent. */
  markup?: string;
}

/** What the bot remembers of one draft in one chat (durable, so a restart still edits in place). */
export interface DraftMessages {
  /** Highest view revision shown; a button of an older revision is stale. */
  revision: number;
  slots: Record<string, SlotMessage>;
}

/** Per-draft message ids in the `ChannelStateStore` (namespace `telegram`). */
export class MessageSlots {
  constructor(private readonly store: ChannelStateStore) {}

  private key(chatId: number, draftId: string): string {
    return `draft:${chatId}:${draftId}`;
  }

  async get(chatId: number, draftId: string): Promise<DraftMessages> {
    const value = await this.store.get<DraftMessages>(STATE_NAMESPACE, this.key(chatId, draftId));
    return value && typeof value.revision === 'number' && value.slots ? value : { revision: -1, slots: {} };
  }

  async save(chatId: number, draftId: string, value: DraftMessages): Promise<void> {
    await this.store.set(STATE_NAMESPACE, this.key(chatId, draftId), value);
  }

  /** The slot a message holds, if the bot sent it for this draft. */
  static slotOfMessage(record: DraftMessages, messageId: number): string | undefined {
    return Object.entries(record.slots).find(([, m]) => m.id === messageId)?.[0];
  }
}
