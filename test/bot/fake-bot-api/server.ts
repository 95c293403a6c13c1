import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiFailure, MESSAGE_METHODS, type ChatState } from './methods.js';
import { readParams } from './multipart.js';
import type { FakeMessage, RecordedCall, StoredFile } from './types.js';
import { UpdateQueue } from './update-queue.js';
import { Users } from './users.js';

export interface TelegramLimits {
  globalPerSecond: number;
  perChatBurst: number;
  perChatPerSecond: number;
}

export interface FakeBotApiOptions {
  token?: string;
  username?: string;
  /** Listen on this port (a dependency that comes back where it was); default a random one. */
  port?: number;
}

interface FailureRule {
  remaining: number;
  methods?: string[];
  retryAfter: number;
}

/**
 * A fake Telegram Bot API server on 127.0.0.1 (random port), for tests and benchmarks. It keeps
 * the real protocol — `/bot<token>/<method>`, `{ ok, result }`, error codes and descriptions,
 * long polling with offsets, webhook delivery with the secret header, multipart uploads, the
 * `/file/bot<token>/<path>` download route — and records every call. `users` injects what
 * people do (text, documents, photos, button presses); `messages` is what the bot sent.
 */
export class FakeBotApi {
  readonly token: string;
  readonly username: string;
  readonly botId: number;
  url = '';
  readonly calls: RecordedCall[] = [];
  readonly downloads: string[] = [];
  readonly state: ChatState = {
    messages: [],
    byKey: new Map(),
    nextMessageId: new Map(),
    knownChats: new Set(),
    files: new Map(),
    callbackQueries: new Map(),
    commands: [],
    chatActions: [],
  };
  readonly users: Users;
  /** Updates not yet confirmed, long polling and webhook delivery. */
  private readonly queue: UpdateQueue;
  private failures: FailureRule[] = [];
  private limits: TelegramLimits | undefined;
  private chatBuckets = new Map<number, { tokens: number; at: number }>();
  private recentSends: number[] = [];
  private holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  private listeners = new Set<() => void>();
  private callListeners = new Set<(call: RecordedCall, result: unknown) => void>();
  private server: Server;

  private readonly port: number;

  constructor(options: FakeBotApiOptions = {}) {
    this.port = options.port ?? 0;
    this.token = options.token ?? '123456789:AAFakeTokenForTestsOnly_xyz-0123456789';
    this.botId = Number(this.token.split(':')[0]);
    this.username = options.username ?? 'facteur_test_bot';
    this.users = new Users(this);
    this.queue = new UpdateQueue(
      (res, status, body) => this.reply(res, status, body),
      () => this.notify(),
    );
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          this.reply(res, 500, { ok: false, error_code: 500, description: String(error) });
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.queue.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues an update (the id is assigned here) and hands it to the waiting poller or the webhook. */
  pushUpdate(update: Record<string, unknown>): number {
    return this.queue.push(update);
  }

  /**
   * Answers 429 (retry after 1 s) as Telegram does when a bot sends too fast: more than
   * `globalPerSecond` calls with a chat_id in any second, or a private chat's bucket
   * (`perChatBurst`, refilled at `perChatPerSecond`) empty.
   */
  enforceLimits(limits: TelegramLimits | undefined): void {
    this.limits = limits;
    this.chatBuckets.clear();
    this.recentSends = [];
  }

  private overLimit(params: Record<string, unknown>): boolean {
    const limits = this.limits;
    if (!limits || params.chat_id === undefined) return false;
    const now = Date.now();
    this.recentSends = this.recentSends.filter((t) => now - t < 1_000);
    const chatId = Number(params.chat_id);
    const bucket = this.chatBuckets.get(chatId) ?? { tokens: limits.perChatBurst, at: now };
    bucket.tokens = Math.min(
      limits.perChatBurst,
      bucket.tokens + ((now - bucket.at) / 1_000) * limits.perChatPerSecond,
    );
    bucket.at = now;
    this.chatBuckets.set(chatId, bucket);
    if (this.recentSends.length >= limits.globalPerSecond || bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    this.recentSends.push(now);
    return false;
  }

  /** Answers the next `count` calls (of `methods`, default every method but getUpdates) with 429. */
  failNext(count: number, options: { methods?: string[]; retryAfter?: number } = {}): void {
    this.failures.push({ remaining: count, methods: options.methods, retryAfter: options.retryAfter ?? 1 });
  }

  /**
   * Holds the next call of `method` before it is applied (the bot waits for its answer): to
   * kill a bot in the middle of handling an update. `arrived` resolves when the call came.
   */
  holdNext(method: string): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.holds.set(method, { arrived, released });
    return { arrived: arrivedP, release };
  }

  /** Forgets the webhook (as deleteWebhook would), so the next bot can poll. */
  clearWebhook(): void {
    this.queue.deleteWebhook(false);
  }

  storeFile(file: StoredFile): void {
    this.state.files.set(file.fileId, file);
  }

  get pendingUpdates(): number {
    return this.queue.pending.length;
  }

  /** An update as it was sent to the bot (to replay it). */
  update(updateId: number): Record<string, unknown> | undefined {
    return this.queue.history.find((u) => u.update_id === updateId);
  }

  get webhookUrl(): string | undefined {
    return this.queue.webhook?.url;
  }

  messagesIn(chatId: number): FakeMessage[] {
    return this.state.messages.filter((m) => m.chatId === chatId && m.fromBot);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first truthy value of `probe`, evaluated now and after every API call or
   * delivery; rejects after `timeoutMs` with `what` and the last messages, to make failures legible.
   */
  waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = this.state.messages
          .slice(-5)
          .map((m) => `#${m.messageId}@${m.chatId} ${m.kind}: ${(m.text ?? m.caption ?? '').slice(0, 200)}`);
        reject(new Error(`timeout waiting for ${what}; last messages:\n${last.join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Observes every successful call with its result (load drivers react to what the bot sends). */
  onCall(listener: (call: RecordedCall, result: unknown) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  message(chatId: number, messageId: number): FakeMessage | undefined {
    return this.state.byKey.get(`${chatId}:${messageId}`);
  }

  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(file[1] ?? '', decodeURIComponent(file[2] ?? ''), res);
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!call) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method = ''] = call;
    const { params, files } = await readParams(req, url.searchParams);
    const hold = this.holds.get(method);
    if (hold) {
      this.holds.delete(method);
      hold.arrived();
      await Promise.race([hold.released, new Promise((r) => req.socket.once('close', r))]);
      if (req.socket.destroyed) return;
    }
    const record: RecordedCall = { method, params, status: 200, at: Date.now() };
    this.calls.push(record);
    const fail = (code: number, description: string, parameters?: Record<string, unknown>) => {
      record.status = code;
      this.reply(res, code, {
        ok: false,
        error_code: code,
        description,
        ...(parameters ? { parameters } : {}),
      });
      this.notify();
    };
    if (token !== this.token) return fail(401, 'Unauthorized');
    const rule = this.failures.find(
      (f) => f.remaining > 0 && (f.methods ? f.methods.includes(method) : method !== 'getUpdates'),
    );
    if (rule) {
      rule.remaining -= 1;
      return fail(429, `Too Many Requests: retry after ${rule.retryAfter}`, { retry_after: rule.retryAfter });
    }
    if (method !== 'getUpdates' && this.overLimit(params)) {
      return fail(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    }
    try {
      if (method === 'getUpdates') {
        record.status = this.queue.getUpdates(params, res);
        return;
      }
      const result = this.callMethod(method, params, files);
      this.reply(res, 200, { ok: true, result });
      for (const l of this.callListeners) l(record, result);
      this.notify();
    } catch (error) {
      if (error instanceof ApiFailure) return fail(error.errorCode, error.description, error.parameters);
      throw error;
    }
  }

  private callMethod(
    method: string,
    params: Record<string, unknown>,
    files: Parameters<(typeof MESSAGE_METHODS)[string]>[2],
  ): unknown {
    switch (method) {
      case 'getMe':
        return {
          id: this.botId,
          is_bot: true,
          first_name: 'Facteur',
          username: this.username,
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'setWebhook':
        if (typeof params.url !== 'string' || !params.url.startsWith('http'))
          throw new ApiFailure(400, 'Bad Request: bad webhook: invalid URL');
        this.queue.setWebhook(
          params.url,
          typeof params.secret_token === 'string' ? params.secret_token : undefined,
          params.drop_pending_updates === true,
        );
        return true;
      case 'deleteWebhook':
        this.queue.deleteWebhook(params.drop_pending_updates === true);
        return true;
      case 'getWebhookInfo':
        return {
          url: this.queue.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.queue.pending.length,
        };
    }
    const handler = MESSAGE_METHODS[method];
    if (!handler) throw new ApiFailure(404, 'Not Found: method not found');
    return handler(this.state, params, files);
  }

  private download(token: string, path: string, res: ServerResponse): void {
    const file = [...this.state.files.values()].find((f) => f.path === path);
    if (token !== this.token || !file?.bytes) {
      this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    this.downloads.push(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
    this.notify();
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** Starts a fake Bot API server on 127.0.0.1 with a random port. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  return new FakeBotApi(options).listen();
}
