import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEAP_GROWING_PERCENT,
  HeapTuningError,
  heapGrowingPercent,
} from '../../src/shared/heap-tuning.js';

describe('heap growth of facteur start', () => {
  it('defaults to 50 %, takes FACTEUR_HEAP_GROWING_PERCENT, 0 for V8’s own choice', () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(50);
    expect(heapGrowingPercent({})).toBe(50);
    expect(heapGrowingPercent({ FACTEUR_HEAP_GROWING_PERCENT: ' ' })).toBe(50);
    expect(heapGrowingPercent({ FACTEUR_HEAP_GROWING_PERCENT: '100' })).toBe(100);
    expect(heapGrowingPercent({ FACTEUR_HEAP_GROWING_PERCENT: '0' })).toBe(0);
  });

  it('refuses what is not an integer from 0 to 300, in French', () => {
    for (const bad of ['-1', '301', '1.5', 'beaucoup']) {
      expect(() => heapGrowingPercent({ FACTEUR_HEAP_GROWING_PERCENT: bad })).toThrow(HeapTuningError);
    }
    try {
      heapGrowingPercent({ FACTEUR_HEAP_GROWING_PERCENT: 'x' });
    } catch (error) {
      expect((error as HeapTuningError).userMessage).toContain('un entier de 0 à 300');
    }
  });
});
