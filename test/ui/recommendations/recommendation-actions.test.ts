import { describe, expect, it } from 'vitest';
import {
  ACTION_LABEL,
  availableActions,
  dismissReasonOk,
  forceReasonOk,
  type RecommendationAction,
} from '../../../ui/src/pages/recommendations/recommendation-actions.ts';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';

// The legal requested moves, written out from sql/migrations/0014 (recommendation_transition_allowed
// ∩ requestable, and the checks in optischema.apply/rollback) and 0003 (dismissed → proposed).
const ADMIN: Record<string, RecommendationAction[]> = {
  proposed: ['validate', 'forceApply', 'dismiss'],
  validating: ['dismiss'],
  validated: ['validate', 'apply', 'schedule', 'dismiss'],
  rejected: ['validate', 'forceApply', 'dismiss'],
  inconclusive: ['validate', 'forceApply', 'dismiss'],
  scheduled: ['apply', 'schedule', 'dismiss'],
  applying: [],
  applied: ['rollback'],
  failed: ['validate', 'forceApply', 'dismiss'],
  rolling_back: [],
  rolled_back: ['validate', 'dismiss'],
  dismissed: ['reopen'],
};
const ADMIN_ONLY: RecommendationAction[] = ['apply', 'schedule', 'forceApply', 'rollback'];

describe('availableActions', () => {
  it.each(Object.entries(ADMIN))('an admin on a %s recommendation may: %j', (state, actions) => {
    expect(availableActions(state, 'admin')).toEqual(actions);
  });

  it.each(Object.entries(ADMIN))('an analyst on a %s recommendation may do the same but apply, schedule, force or roll back', (state, actions) => {
    expect(availableActions(state, 'analyst')).toEqual(actions.filter((a) => !ADMIN_ONLY.includes(a)));
  });

  it.each(Object.keys(ADMIN))('a viewer on a %s recommendation may do nothing', (state) => {
    expect(availableActions(state, 'viewer')).toEqual([]);
  });

  it('offers nothing for an unknown or missing state', () => {
    for (const role of ['viewer', 'analyst', 'admin'] as AppRole[]) {
      expect(availableActions('exploded', role)).toEqual([]);
      expect(availableActions(null, role)).toEqual([]);
    }
  });

  it('never offers applying and forcing together (a validated one needs no force)', () => {
    for (const state of Object.keys(ADMIN)) {
      const actions = availableActions(state, 'admin');
      expect(actions.includes('apply') && actions.includes('forceApply')).toBe(false);
    }
  });
});

describe('reasons', () => {
  it('a force reason needs 10 characters after trimming, as optischema.apply does', () => {
    expect(forceReasonOk('   too short   ')).toBe(false);
    expect(forceReasonOk('sandbox down; incident 4411')).toBe(true);
    expect(forceReasonOk('0123456789')).toBe(true);
    expect(forceReasonOk('012345678')).toBe(false);
  });

  it('a dismissal needs a reason that is not blank', () => {
    expect(dismissReasonOk('  \n ')).toBe(false);
    expect(dismissReasonOk('covered by the new partial index')).toBe(true);
  });
});

describe('labels', () => {
  it('keeps the names the end-to-end test clicks', () => {
    expect(ACTION_LABEL.validate).toMatchObject({ button: 'Validate', confirm: 'Confirm validate' });
    expect(ACTION_LABEL.apply).toMatchObject({ button: 'Apply now', confirm: 'Confirm apply' });
    expect(ACTION_LABEL.schedule).toMatchObject({ button: 'Schedule…', confirm: 'Confirm schedule' });
    expect(ACTION_LABEL.dismiss).toMatchObject({ button: 'Dismiss…', confirm: 'Confirm dismiss' });
    expect(ACTION_LABEL.rollback).toMatchObject({ button: 'Roll back', confirm: 'Confirm rollback' });
  });
});
