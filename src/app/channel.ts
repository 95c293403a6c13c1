import type { ChannelIdentity } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import type { ComponentHealth } from './health.js';

/** A running channel (Telegram bot, mail watcher). `stop()` finishes the work in hand, then returns. */
export interface Channel {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the channel reaches its service (Telegram, the mailbox), for `/healthz`. */
  health?(): ComponentHealth;
  /**
   * Sends a view on the service's own initiative (follow-up notifications) and resolves once it
   * is sent; rejects when it could not be. `key` is stable per notification (a channel that can
   * deduplicate uses it, e.g. as the e-mail Message-ID).
   */
  deliver?(identity: ChannelIdentity, view: View, key: string): Promise<void>;
}

/**
 * Small durable key-value state a channel keeps for its own translation work (Telegram message
 * ids to edit in place, Message-IDs of sent mails for threading, processed IMAP UIDs…).
 * Implemented by the store (SQLite or PostgreSQL); values are JSON-serialisable.
 */
export interface ChannelStateStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  /**
   * Atomically records `key` if absent; resolves true for the caller that recorded it first,
   * false for every later caller (also across processes sharing the database).
   */
  claim(namespace: string, key: string, value?: unknown): Promise<boolean>;
  /** Every entry of a namespace, by key (small namespaces: a journal's pending updates). */
  list<T = unknown>(namespace: string): Promise<Array<{ key: string; value: T }>>;
  /**
   * Several writes of one namespace at once, in order and all or nothing (one transaction instead
   * of one per write: a burst's journal). Optional: without it, callers write one by one.
   */
  batch?(namespace: string, writes: ChannelStateWrite[]): Promise<void>;
}

/** One write of `ChannelStateStore.batch`: a value to set, or a key to delete. */
export type ChannelStateWrite = { key: string; value: unknown } | { key: string; delete: true };
