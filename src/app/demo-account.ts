import type { ChorusCredentials } from '../deposit/port.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';

/** The terminal's one user (`facteur chat`), linked to the demo account on the embedded defaults. */
export const TERMINAL_IDENTITY = { channel: 'terminal', userId: 'local' } as const;
export const DEMO_ACCOUNT_NAME = 'demo';

/** In simulator mode: the demo account exists, with the simulator's technical credentials, linked to the terminal. */
export async function ensureDemoAccount(
  store: Store,
  logger: Logger,
  creds: ChorusCredentials | undefined,
): Promise<void> {
  const account = await store.accounts.ensure({ name: DEMO_ACCOUNT_NAME, chorus: creds });
  const linked = await store.identities.findAccount(TERMINAL_IDENTITY);
  if (!linked) {
    await store.identities.link(account.id, TERMINAL_IDENTITY);
    logger.info({ account: account.id }, 'demo account linked to the terminal');
  }
}
