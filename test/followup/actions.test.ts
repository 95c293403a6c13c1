import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_ACTIONS, followUpChoiceId, parseFollowUpChoice } from '../../src/followup/actions.js';

describe('follow-up action ids', () => {
  it('round-trips every action and fits a 32-character choice id', () => {
    for (const action of Object.values(FOLLOW_UP_ACTIONS)) {
      const id = followUpChoiceId(action, 999_999_999_999);
      expect(id.length).toBeLessThanOrEqual(32);
      expect(parseFollowUpChoice(id)).toEqual({ action, chorusInvoiceId: 999_999_999_999 });
    }
  });
  it('ignores other choices', () => {
    expect(parseFollowUpChoice('confirm')).toBeUndefined();
    expect(parseFollowUpChoice('fu:unknown:12')).toBeUndefined();
    expect(parseFollowUpChoice('fu:complete:abc')).toBeUndefined();
  });
});
