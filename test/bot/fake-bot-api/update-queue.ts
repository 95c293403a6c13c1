import type { ServerResponse } from 'node:http';
import type { Update } from './types.js';

interface Poller {
  offset: number;
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

type Reply = (res: ServerResponse, status: number, body: unknown) => void;

/**
 * The updates Telegram holds for the bot until confirmed: handed to one long poll at a time
 * (an offset confirms every earlier update) or POSTed to the webhook (a 2xx answer confirms).
 */
export class UpdateQueue {
  /** Updates not yet confirmed by an offset (polling) or a 2xx answer (webhook). */
  pending: Update[] = [];
  /** Every update ever queued (tests replay them). */
  readonly history: Update[] = [];
  webhook: { url: string; secret?: string } | undefined;
  private nextUpdateId = 1000;
  private poller: Poller | undefined;
  private delivering = new Set<number>();

  constructor(
    private readonly reply: Reply,
    private readonly notify: () => void,
  ) {}

  /** Queues an update (the id is assigned here) and hands it to the waiting poller or the webhook. */
  push(update: Record<string, unknown>): number {
    const full: Update = { ...update, update_id: this.nextUpdateId++ };
    this.pending.push(full);
    this.history.push(full);
    this.flush();
    return full.update_id;
  }

  setWebhook(url: string, secret: string | undefined, dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = { url, secret };
    if (this.poller) this.finishPoll(this.poller, null);
    setImmediate(() => this.flush());
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = undefined;
  }

  close(): void {
    if (this.poller) this.finishPoll(this.poller, []);
    this.webhook = undefined;
  }

  /** https://core.telegram.org/bots/api#getupdates — an offset confirms every earlier update. */
  getUpdates(params: Record<string, unknown>, res: ServerResponse): number {
    if (this.webhook) {
      this.reply(res, 409, {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
      return 409;
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    // A newer request ends the older one, as Telegram does.
    if (this.poller) {
      const old = this.poller;
      this.poller = undefined;
      clearTimeout(old.timer);
      this.reply(old.res, 409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
    }
    const ready = this.pending.filter((u) => u.update_id >= offset).slice(0, limit);
    if (ready.length > 0 || timeout === 0) {
      this.reply(res, 200, { ok: true, result: ready });
      this.notify();
      return 200;
    }
    const poller: Poller = {
      offset,
      limit,
      res,
      timer: setTimeout(() => this.finishPoll(poller, []), timeout * 1000),
    };
    this.poller = poller;
    res.on('close', () => {
      if (this.poller === poller) {
        clearTimeout(poller.timer);
        this.poller = undefined;
      }
    });
    this.notify();
    return 200;
  }

  private finishPoll(poller: Poller, updates: Update[] | null): void {
    clearTimeout(poller.timer);
    if (this.poller === poller) this.poller = undefined;
    if (updates === null) {
      this.reply(poller.res, 409, {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by setWebhook request',
      });
    } else {
      this.reply(poller.res, 200, { ok: true, result: updates });
    }
    this.notify();
  }

  private flush(): void {
    if (this.poller) {
      const ready = this.pending
        .filter((u) => u.update_id >= this.poller!.offset)
        .slice(0, this.poller.limit);
      if (ready.length > 0) this.finishPoll(this.poller, ready);
    }
    if (this.webhook) {
      for (const update of this.pending) {
        if (this.delivering.size >= 40) break;
        if (!this.delivering.has(update.update_id)) void this.deliver(update, 0);
      }
    }
  }

  /** Webhook delivery: POST with the secret header; retried until a 2xx answer, then confirmed. */
  private async deliver(update: Update, attempt: number): Promise<void> {
    const hook = this.webhook;
    if (!hook) return;
    this.delivering.add(update.update_id);
    let ok = false;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}),
        },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      ok = res.ok;
    } catch {
      ok = false;
    }
    this.delivering.delete(update.update_id);
    if (ok) {
      this.pending = this.pending.filter((u) => u.update_id !== update.update_id);
      this.notify();
      this.flush();
    } else if (this.webhook && attempt < 50) {
      setTimeout(() => void this.deliver(update, attempt + 1), 100 * Math.min(10, attempt + 1));
    }
  }
}
