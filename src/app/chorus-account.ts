import type { ChorusCredentials } from '../deposit/port.js';
import { FacteurError } from '../shared/errors.js';
import type { Store } from '../store/types.js';

export class NoChorusAccountError extends FacteurError {
  readonly code = 'chorus-account-missing';
  constructor() {
    super(
      'no Chorus technical account configured for this account',
      'Aucun compte technique Chorus Pro n’est configuré pour votre compte Facteur : ajoutez-le avec « facteur accounts add --chorus-login … » ou CHORUS_TECH_LOGIN/CHORUS_TECH_PASSWORD.',
    );
  }
}

/**
 * The Chorus Pro technical account a Facteur account acts with: its own (stored encrypted), else
 * the installation's fallback; without either the user is told how to add one.
 */
export function accountCredentials(
  store: Store,
  fallback: ChorusCredentials | undefined,
): (accountId: string) => Promise<ChorusCredentials> {
  return async (accountId) => {
    const own = await store.accounts.credentials(accountId);
    const creds = own ?? fallback;
    if (!creds) throw new NoChorusAccountError();
    return creds;
  };
}
