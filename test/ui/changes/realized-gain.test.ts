import { describe, expect, it } from 'vitest';
import { toChangeRows } from '../../../ui/src/pages/changes/change-rows.ts';
import { formatWindow, realizedGain } from '../../../ui/src/pages/changes/realized-gain.ts';
import recorded from './fixtures/applied-changes.json' with { type: 'json' };

const [newest, rolledBack] = recorded.allAppliedChanges.nodes;

describe('realizedGain', () => {
  it('reads a measured gain and what it rests on (recorded from the demo)', () => {
    expect(realizedGain(newest!.realizedPct, newest!.realized)).toEqual({
      kind: 'measured',
      pct: 88.29,
      beforeMs: 0.8349,
      afterMs: 0.0978,
      windowS: 60.224788,
      callsBefore: 74,
      callsAfter: 44,
    });
  });

  it('says why a gain is still waiting', () => {
    const waiting = {
      state: 'waiting',
      windowS: 120,
      callsBefore: 12,
      callsAfter: 3,
      reason: 'not enough traffic yet: 12 calls before and 3 after over 00:02:00 windows (20 needed on each side)',
    };
    expect(realizedGain(null, waiting)).toEqual({ kind: 'waiting', reason: waiting.reason, callsBefore: 12, callsAfter: 3 });
  });

  it('counts no measurement, or an unreadable one, as not measured', () => {
    expect(realizedGain(null, null)).toEqual({ kind: 'none' });
    expect(realizedGain(undefined, { state: 'exploded' })).toEqual({ kind: 'none' });
    expect(realizedGain('not a number', 'text')).toEqual({ kind: 'none' });
  });

  it('trusts the stored percentage even when the JSON is missing', () => {
    const gain = realizedGain('12.50', null);
    expect(gain).toMatchObject({ kind: 'measured', pct: 12.5, callsBefore: null, windowS: null });
  });
});

describe('formatWindow', () => {
  it('writes the window in the largest whole unit', () => {
    expect(formatWindow(60.224788)).toBe('1 min');
    expect(formatWindow(45)).toBe('45 s');
    expect(formatWindow(5400)).toBe('1.5 h');
    expect(formatWindow(86_400)).toBe('24 h');
    expect(formatWindow(null)).toBe('–');
  });
});

describe('toChangeRows', () => {
  const rows = toChangeRows(recorded.allAppliedChanges.nodes, recorded.allTargets.nodes);

  it('names the database and keeps the three gains apart', () => {
    expect(rows[0]).toMatchObject({
      id: '2',
      database: 'optischema',
      state: 'applied',
      estimatedPct: 99.5,
      measuredPct: 58.5,
      realized: { kind: 'measured', pct: 88.29 },
    });
  });

  it('shows a change as rolled back from its own rollback time', () => {
    expect(rolledBack!.rolledBackAt).not.toBeNull();
    expect(rows[1]!.state).toBe('rolled_back');
    // A recommendation applied again after a rollback is "applied", but this change was undone.
    const reapplied = toChangeRows([{ ...rolledBack!, state: 'applied' }], recorded.allTargets.nodes);
    expect(reapplied[0]!.state).toBe('rolled_back');
  });

  it('falls back to the id for a database it cannot name, and to "no estimate" figures as null', () => {
    const [row] = toChangeRows([{ ...newest!, targetId: 'gone', estimatedPct: null, measuredPct: null }], []);
    expect(row).toMatchObject({ database: 'gone', estimatedPct: null, measuredPct: null });
  });
});
