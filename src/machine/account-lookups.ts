import type { BankAccount, ChorusCredentials, DepositService, SupplierStructure } from '../deposit/port.js';

/**
 * An account's own Chorus Pro data that every analysis reads — its supplier structures and their
 * bank accounts — kept for a short while (default 60 s) and asked once when several drafts of the
 * account ask at the same moment. A month's-end burst of one account's invoices then costs one
 * look-up instead of two Chorus calls per document (quotas on PISTE; CPU in simulator mode).
 * Failures are not kept. The directory (structures, rules) has its own cache in the deposit service.
 */
export function withAccountLookups(
  deposit: DepositService,
  options: { ttlMs?: number; now?: () => number } = {},
): DepositService {
  const ttlMs = options.ttlMs ?? 60_000;
  if (ttlMs <= 0) return deposit;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    entries.delete(key);
    // Bounded: the oldest entry goes first (accounts are few; this only guards against a leak).
    if (entries.size >= 1_000) entries.delete(entries.keys().next().value as string);
    entries.set(key, { at: now(), value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }
  const account = (creds: ChorusCredentials) => JSON.stringify([creds.login, creds.password]);

  const wrapped: DepositService = Object.create(deposit) as DepositService;
  wrapped.supplierStructures = (creds): Promise<SupplierStructure[]> =>
    cached(`s:${account(creds)}`, () => deposit.supplierStructures(creds));
  wrapped.bankAccounts = (creds, supplierId): Promise<BankAccount[]> =>
    cached(`b:${account(creds)}:${supplierId}`, () => deposit.bankAccounts(creds, supplierId));
  return wrapped;
}
