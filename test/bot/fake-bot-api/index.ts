export { FakeBotApi, startFakeBotApi, type FakeBotApiOptions } from './server.js';
export type { DocumentInput } from './users.js';
export type { FakeMessage, FakeUser, RecordedCall, InlineButton } from './types.js';
