/** Public API of the store: `createStore(deps)` and the types the other parts code against. */
export { createStore, SQLITE_FILE_NAME } from './create-store.js';
export type { StoreDeps } from './create-store.js';
export type * from './types.js';
export * from './errors.js';
export { normalizeIdentity, normalizeAccountName } from './normalize.js';
export { formatProvisional, parseProvisional } from './provisional.js';
export { DEFAULT_INVITE_TTL_MS } from './invites.js';
export { KEY_FILE_NAME } from './secret-box.js';
export { MIGRATIONS } from './migrations.js';
export type * from './follow-up-types.js';
