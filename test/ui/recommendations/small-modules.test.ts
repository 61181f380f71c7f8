import { describe, expect, it } from 'vitest';
import { listItems, shortSql, stateFilter, targetNames } from '../../../ui/src/pages/recommendations/recommendation-list.ts';
import { noteItems } from '../../../ui/src/pages/recommendations/recommendation-notes.ts';
import { recommendationView, writeOverheadOf } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { parseEvidence } from '../../../ui/src/pages/recommendations/recommendation-evidence.ts';
import { localInputValue, scheduleTime } from '../../../ui/src/pages/recommendations/schedule-time.ts';
import { progressFor, progressText } from '../../../ui/src/pages/recommendations/validation-progress.ts';
import { proposedRow, recordedIn, recordedRows, recordedTargets } from './fixtures.ts';

describe('the list rows', () => {
  const names = targetNames(recordedTargets);

  it('name each row’s database and put the newest first', () => {
    const shuffled = [...recordedRows].reverse();
    const items = listItems(shuffled, names);
    expect(items.map((i) => i.id)).toEqual(
      [...recordedRows].sort((a, b) => Date.parse(b.createdAt!) - Date.parse(a.createdAt!)).map((r) => r.rowId),
    );
    expect(items.every((i) => i.database === 'optischema')).toBe(true);
    expect(items.find((i) => i.state === 'applied')).toMatchObject({ estimatedPct: 96.5, measuredPct: 25.42, sizeBytes: 221184, label: 'Index on demo.customers (email)' });
  });

  it('fall back to the short SQL without a title, and to "unknown database"', () => {
    const [item] = listItems([{ ...recordedRows[0]!, title: null, targetId: 'gone' }], names);
    expect(item!.label).toBe(shortSql(recordedRows[0]!.statement));
    expect(item!.database).toBe('unknown database');
  });

  it('shorten index SQL to what it indexes', () => {
    expect(shortSql('CREATE INDEX CONCURRENTLY orders_created_at_idx ON demo.orders (created_at)')).toBe('demo.orders (created_at)');
    expect(shortSql('CREATE UNIQUE INDEX x ON ONLY p.t USING btree (a)')).toBe('p.t USING btree (a)');
    expect(shortSql(`CREATE INDEX i ON t (${'c, '.repeat(40)}z)`)).toHaveLength(80);
    expect(shortSql(null)).toBe('(no statement)');
  });

  it('filter only on a known state', () => {
    expect(stateFilter('validated')).toBe('validated');
    expect(stateFilter('DROP TABLE')).toBeUndefined();
    expect(stateFilter(undefined)).toBeUndefined();
  });
});

describe('the detail view', () => {
  it('says the write overhead was measured once it was, and estimated before', () => {
    const applied = recommendationView(recordedIn('applied'));
    expect(applied.writeOverhead?.source).toBe('measured');
    expect(applied.writeOverhead?.text).toMatch(/µs per row written \(10,000 rows inserted/);
    expect(applied.size).toEqual({ estimatedBytes: 221184, measuredBytes: 40960 });
    const proposed = recommendationView(proposedRow());
    expect(proposed.writeOverhead).toEqual({ source: 'estimated', text: 'about 0 index writes/s (inserts and non-HOT updates over the last 1 min)' });
    expect(proposed.validation).toBeNull();
  });

  it('says when a measured overhead is below noise', () => {
    const rejected = recommendationView(recordedIn('rejected'));
    expect(rejected.writeOverhead?.text).toMatch(/^none measurable/);
  });

  it('has no overhead when nothing says one', () => {
    expect(writeOverheadOf(null, parseEvidence({}))).toBeNull();
  });
});

describe('schedule time', () => {
  const now = new Date(2026, 11, 3, 12, 0).getTime();

  it('reads the picker’s local time into an ISO timestamp', () => {
    const t = scheduleTime('2026-12-05T02:00', now);
    expect(t).toEqual({ ok: true, iso: new Date(2026, 11, 5, 2, 0).toISOString() });
    expect(scheduleTime(localInputValue(now + 3_600_000), now)).toEqual({ ok: true, iso: new Date(now + 3_600_000).toISOString() });
  });

  it('refuses the past, now, nonsense and nothing', () => {
    expect(scheduleTime('2026-12-03T11:59', now)).toEqual({ ok: false, error: 'pick a time in the future' });
    expect(scheduleTime('2026-12-03T12:00', now).ok).toBe(false);
    expect(scheduleTime('2026-02-31T10:00', now)).toEqual({ ok: false, error: 'not a date and time' });
    expect(scheduleTime('tomorrow', now).ok).toBe(false);
    expect(scheduleTime('', now)).toEqual({ ok: false, error: 'pick a date and time' });
  });
});

describe('validation progress', () => {
  const id = recordedIn('applied').rowId;

  it('takes only this recommendation’s events', () => {
    expect(progressFor({ kind: 'validation_progress', recommendationId: id, stage: 'measuring before', done: 3, total: 5 }, id)).toEqual({ stage: 'measuring before', done: 3, total: 5 });
    expect(progressFor({ recommendationId: 'another', stage: 'sandbox' }, id)).toBeNull();
    expect(progressFor('garbage', id)).toBeNull();
  });

  it('says how far it is', () => {
    expect(progressText({ stage: 'measuring before', done: 3, total: 5 })).toBe('validating on the sandbox: 3 of 5 runs (measuring before)');
    expect(progressText({ stage: 'sandbox', done: null, total: null })).toBe('validating on the sandbox: preparing the sandbox');
    expect(progressText({ stage: 'sandbox copy', done: 2, total: 7 })).toBe('validating on the sandbox: 2 of 7 (preparing the sandbox (copy))');
    expect(progressText(null)).toMatch(/^validating on the sandbox/);
  });
});

describe('notes', () => {
  it('name their authors', () => {
    const items = noteItems(
      [
        { rowId: 'n1', body: 'checked with the team', createdAt: '2026-12-03T17:30:00Z', authorId: 'u1' },
        { rowId: 'n2', body: null, createdAt: null, authorId: 'u9' },
      ],
      [{ userId: 'u1', email: 'admin@localhost', displayName: 'Local admin' }],
    );
    expect(items.map((n) => n.author)).toEqual(['Local admin', 'a former member']);
    expect(items[1]!.body).toBe('');
  });
});
