import { describe, expect, it } from 'vitest';
import { reminderLines } from '../../src/followup/reminder.js';
import type { FollowedInvoice } from '../../src/store/follow-up-types.js';

const invoice: FollowedInvoice = {
  accountId: 'acc-1',
  chorusInvoiceId: 3124001,
  channel: 'telegram',
  userId: '42',
  invoiceNumber: 'F-2025-0007',
  recipientSiret: '21330063500017',
  recipientName: 'Commune de Saint-Aubin-sur-Garonne',
  totalInclTaxCents: 120_000,
  currency: 'EUR',
  depositedAt: '2025-03-02T10:00:00Z',
  status: 'MISE_EN_PAIEMENT',
  statusAt: '2025-04-22T09:05:00Z',
  history: [
    { status: 'DEPOSEE', at: '2025-03-02T10:00:00Z' },
    { status: 'MISE_A_DISPOSITION', at: '2025-03-03T09:05:00Z' },
    { status: 'MISE_EN_PAIEMENT', at: '2025-04-22T09:05:00Z' },
  ],
  active: false,
  deadlineNotified: true,
};

function deps(found: FollowedInvoice | undefined, now: string) {
  return {
    followUps: { get: async () => found },
    clock: () => new Date(now),
  };
}

describe('the ready-to-send reminder', () => {
  it('claims the worked example: 20 days late at 11.15 % → 7,33 € + 40 € = 47,33 €', async () => {
    const lines = await reminderLines(deps(invoice, '2025-05-01T08:00:00Z'), 'acc-1', 3124001);
    const text = lines.join('\n');
    expect(text).toMatch(/Objet : facture F-2025-0007 – intérêts moratoires/);
    expect(text).toMatch(/déposée sur Chorus Pro le 02\/03\/2025/);
    expect(text).toMatch(/au plus tard le 02\/04\/2025/);
    expect(text).toMatch(/20 jours de retard/);
    expect(text).toMatch(/7,33\s€/);
    expect(text).toMatch(/47,33\s€ au total/);
  });

  it('says there is nothing to claim when the invoice was paid in time', async () => {
    const onTime = {
      ...invoice,
      history: [
        { status: 'MISE_A_DISPOSITION', at: '2025-03-03T09:05:00Z' },
        { status: 'MISE_EN_PAIEMENT', at: '2025-03-20T09:05:00Z' },
      ],
    };
    const lines = await reminderLines(deps(onTime, '2025-05-01T08:00:00Z'), 'acc-1', 3124001);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/n’est pas en retard.*02\/04\/2025/);
  });

  it('points to « mes factures » for an invoice the follow-up does not know', async () => {
    const lines = await reminderLines(deps(undefined, '2025-05-01T08:00:00Z'), 'acc-1', 1);
    expect(lines[0]).toMatch(/mes factures/);
  });
});
