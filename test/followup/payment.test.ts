import { describe, expect, it } from 'vitest';
import { lateInterest, parseRates, rateFor, semesterOf } from '../../src/followup/late-interest.js';
import { buyerKindOf, paymentTerms } from '../../src/followup/payment-terms.js';

describe('payment deadline', () => {
  it('runs 30 days from the MISE_A_DISPOSITION day for a commune (worked example §4.4)', () => {
    const terms = paymentTerms({
      recipientSiret: '21330063500017',
      depositedAt: '2025-03-01T09:00:00Z',
      history: [
        { status: 'DEPOSEE', at: '2025-03-01T09:00:00Z' },
        { status: 'MISE_A_DISPOSITION', at: '2025-03-03T10:00:00Z' },
      ],
    });
    expect(terms).toMatchObject({ days: 30, startsOn: '2025-03-03', dueBy: '2025-04-02', estimated: false });
  });

  it('gives 50 days to a public hospital and 60 to a public enterprise', () => {
    expect(buyerKindOf('26330002200013')).toBe('health');
    expect(buyerKindOf('11000001500013')).toBe('public');
    expect(buyerKindOf('55204944776279')).toBe('public-enterprise');
    const history = [{ status: 'MISE_A_DISPOSITION', at: '2026-01-10T08:00:00Z' }];
    expect(
      paymentTerms({ recipientSiret: '26330002200013', depositedAt: history[0]!.at, history }).dueBy,
    ).toBe('2026-03-01');
    expect(
      paymentTerms({ recipientSiret: '55204944776279', depositedAt: history[0]!.at, history }).dueBy,
    ).toBe('2026-03-11');
  });

  it('estimates from the deposit before the buyer has it, and counts Paris days', () => {
    const terms = paymentTerms({
      recipientSiret: '21330063500017',
      depositedAt: '2026-03-14T23:30:00Z', // 15 March 00:30 in Paris
      history: [{ status: 'DEPOSEE', at: '2026-03-14T23:30:00Z' }],
    });
    expect(terms).toMatchObject({ startsOn: '2026-03-15', dueBy: '2026-04-14', estimated: true });
  });

  it('is interrupted once by a suspension, then 30 days or the balance if longer', () => {
    const base = [
      { status: 'DEPOSEE', at: '2026-01-01T09:00:00Z' },
      { status: 'MISE_A_DISPOSITION', at: '2026-01-02T09:00:00Z' }, // due 2026-02-01
      { status: 'SUSPENDUE', at: '2026-01-05T09:00:00Z' }, // 27 days left
    ];
    const waiting = paymentTerms({
      recipientSiret: '21330063500017',
      depositedAt: base[0]!.at,
      history: base,
    });
    expect(waiting.interrupted).toBe(true);
    const completed = paymentTerms({
      recipientSiret: '21330063500017',
      depositedAt: base[0]!.at,
      history: [...base, { status: 'COMPLETEE', at: '2026-01-20T09:00:00Z' }],
    });
    expect(completed).toMatchObject({ interrupted: false, dueBy: '2026-02-19' }); // 30 > 27
    const health = paymentTerms({
      recipientSiret: '26330002200013', // 50 days: due 2026-02-21, 47 left at the suspension
      depositedAt: base[0]!.at,
      history: [...base, { status: 'COMPLETEE', at: '2026-01-20T09:00:00Z' }],
    });
    expect(health.dueBy).toBe('2026-03-08');
  });

  it('starts over after a recycling', () => {
    const terms = paymentTerms({
      recipientSiret: '21330063500017',
      depositedAt: '2026-01-01T09:00:00Z',
      history: [
        { status: 'DEPOSEE', at: '2026-01-01T09:00:00Z' },
        { status: 'MISE_A_DISPOSITION', at: '2026-01-01T09:05:00Z' },
        { status: 'A_RECYCLER', at: '2026-01-10T09:00:00Z' },
        { status: 'DEPOSEE', at: '2026-01-12T09:00:00Z' },
        { status: 'MISE_A_DISPOSITION', at: '2026-01-12T09:05:00Z' },
        { status: 'MISE_EN_PAIEMENT', at: '2026-02-01T09:05:00Z' },
      ],
    });
    expect(terms).toMatchObject({ startsOn: '2026-01-12', dueBy: '2026-02-11', paidOn: '2026-02-01' });
  });
});

describe('late-payment interest', () => {
  it('matches the worked example: 1 200 € TTC, 20 days at 11.15 % → 7,33 € + 40 €', () => {
    expect(
      lateInterest({ principalCents: 120_000, dueBy: '2025-04-02', until: '2025-04-22', paid: true }),
    ).toEqual({
      daysLate: 20,
      rateBp: 1115,
      semester: '2025-H1',
      rateAssumed: false,
      interestCents: 733,
      compensationCents: 4_000,
      totalCents: 4_733,
      until: '2025-04-22',
      paid: true,
    });
  });

  it('owes nothing when paid on or before the deadline', () => {
    expect(
      lateInterest({ principalCents: 120_000, dueBy: '2025-04-02', until: '2025-04-02', paid: true }),
    ).toBeNull();
    expect(
      lateInterest({ principalCents: 120_000, dueBy: '2025-04-02', until: '2025-03-30', paid: true }),
    ).toBeNull();
  });

  it('uses the rate of the semester in which the interest started, for the whole delay', () => {
    // Deadline 30 June 2025: interest starts 1 July (2025-H2, 10.15 %), 365 days later.
    const r = lateInterest({
      principalCents: 1_000_000,
      dueBy: '2025-06-30',
      until: '2026-06-30',
      paid: false,
    })!;
    expect(r).toMatchObject({ semester: '2025-H2', rateBp: 1015, daysLate: 365, interestCents: 101_500 });
    // Deadline 31 Dec 2024: interest starts 1 Jan 2025 (11.15 %): 1 day on 100 000,00 € = 30,55 €.
    const one = lateInterest({
      principalCents: 10_000_000,
      dueBy: '2024-12-31',
      until: '2025-01-01',
      paid: true,
    })!;
    expect(one).toMatchObject({ semester: '2025-H1', interestCents: 3_055 });
  });

  it('rounds half up to the cent in integer arithmetic', () => {
    // 100,00 € × 12.50 % × 73 days / 365 = 2,50 € exactly; × 1 day = 0,0342… → 0,03 €.
    expect(
      lateInterest({ principalCents: 10_000, dueBy: '2024-01-01', until: '2024-03-14', paid: true })!
        .interestCents,
    ).toBe(250);
    expect(
      lateInterest({ principalCents: 10_000, dueBy: '2024-01-01', until: '2024-01-02', paid: true })!
        .interestCents,
    ).toBe(3);
  });

  it('takes configured rates for semesters the table does not know, else the latest rate', () => {
    expect(semesterOf('2027-07-01')).toBe('2027-H2');
    expect(rateFor('2027-07-01')).toMatchObject({ rateBp: 1015, assumed: true });
    const rates = { ...parseRates('2027-H2=9,9 2026-H2=10.40') };
    expect(rates).toEqual({ '2027-H2': 990, '2026-H2': 1040 });
    expect(rateFor('2027-07-01', rates)).toMatchObject({ rateBp: 990, assumed: false });
    expect(() => parseRates('2027=9')).toThrow(/taux invalide/);
  });
});
