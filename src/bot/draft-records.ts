import type { DraftMessages, MessageSlots } from './message-slots.js';

/**
 * The drafts' message records one `send` reads and changes: each read once, and written back at
 * the end only when changed (a preview, a file or a message without a slot changes nothing).
 */
export class DraftRecords {
  private readonly records = new Map<string, { record: DraftMessages; loaded: string }>();

  constructor(
    private readonly slots: MessageSlots,
    private readonly chatId: number,
  ) {}

  async get(draftId: string): Promise<DraftMessages> {
    const held = this.records.get(draftId);
    if (held) return held.record;
    const record = await this.slots.get(this.chatId, draftId);
    this.records.set(draftId, { record, loaded: JSON.stringify(record) });
    return record;
  }

  async saveChanged(): Promise<void> {
    for (const [draftId, { record, loaded }] of this.records)
      if (JSON.stringify(record) !== loaded) await this.slots.save(this.chatId, draftId, record);
  }
}
