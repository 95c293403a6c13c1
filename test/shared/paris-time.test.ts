import { describe, expect, it } from 'vitest';
import { formatParisDateTime } from '../../src/shared/paris-time.js';

describe('formatParisDateTime', () => {
  it('shows a UTC instant on French time, winter and summer', () => {
    expect(formatParisDateTime('2026-01-15T10:24:00.000Z')).toBe('15/01/2026 à 11:24 (heure de Paris)');
    expect(formatParisDateTime('2026-07-15T10:24:00.000Z')).toBe('15/07/2026 à 12:24 (heure de Paris)');
  });

  it('crosses midnight and keeps a 24-hour clock', () => {
    expect(formatParisDateTime('2026-03-14T23:30:00.000Z')).toBe('15/03/2026 à 00:30 (heure de Paris)');
  });

  it('gives back what is not a date', () => {
    expect(formatParisDateTime('pas une date')).toBe('pas une date');
  });
});
