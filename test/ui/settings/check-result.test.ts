import { describe, expect, it } from 'vitest';
import { checkView } from '../../../ui/src/pages/settings/check-result.ts';
import notReady from './fixtures/check-not-ready.json' with { type: 'json' };
import reachable from './fixtures/check-reachable.json' with { type: 'json' };
import targets from './fixtures/targets.json' with { type: 'json' };

// check-reachable.json and check-not-ready.json are the doctor's own evaluate() output
// (sidecar/doctor/checks.ts) for two monitored databases, wrapped as a TargetCheckResult.
describe('checkView', () => {
  it('maps each doctor check to pass, warn, fail or info in words', () => {
    const view = checkView(reachable)!;
    expect(view.items.map((i) => [i.id, i.label])).toEqual([
      ['version', 'pass'],
      ['pg_stat_statements', 'pass'],
      ['pg_stat_statements.track', 'warn'],
      ['hypopg', 'warn'],
      ['pg_qualstats', 'info'],
      ['plv8', 'info'],
      ['privileges.stats', 'warn'],
      ['track_io_timing', 'warn'],
    ]);
    expect(view).toMatchObject({ ready: true, reachable: true, serverVersion: '16.4', tone: 'warn', summary: 'ready, with 4 warnings' });
  });

  it('keeps the fix of a check that did not pass, and none for one that did', () => {
    const view = checkView(reachable)!;
    expect(view.items.find((i) => i.id === 'privileges.stats')!.fix).toBe('GRANT pg_monitor TO optischema_monitor; (or pg_read_all_stats alone)');
    expect(view.items.find((i) => i.id === 'version')!.fix).toBeNull();
  });

  it('counts the failed checks of a database that is not ready', () => {
    const view = checkView(notReady)!;
    expect(view.items.filter((i) => i.label === 'fail').map((i) => i.id)).toEqual(['pg_stat_statements', 'hypopg']);
    expect(view).toMatchObject({ ready: false, tone: 'error', summary: 'not ready: 2 checks failed' });
  });

  it('says why an unreachable database could not be checked (recorded)', () => {
    const probe = targets.allTargets.nodes.find((t) => t.name === 'probe')!;
    const view = checkView(probe.lastCheck)!;
    expect(view.items).toEqual([]);
    expect(view.tone).toBe('error');
    expect(view.summary).toBe('could not connect: cannot connect to postgres://nobody:***@127.0.0.1:1/x: connection refused (is PostgreSQL running there?)');
  });

  it('says a reachable database whose checks timed out is not a pass', () => {
    const view = checkView({ ...reachable, ready: false, checks: [], error: 'the checks took longer than 10 s' })!;
    expect(view.summary).toBe('connected, but the checks did not finish: the checks took longer than 10 s');
  });

  it('reads all-pass as ready, and an unknown status as a warning', () => {
    const ok = checkView({ ...reachable, checks: [{ id: 'version', status: 'ok', message: 'PostgreSQL 17.2' }] })!;
    expect(ok).toMatchObject({ summary: 'ready: every check passed', tone: 'ok' });
    expect(checkView({ ...reachable, checks: [{ id: 'x', status: 'weird', message: 'm' }] })!.items[0]!.label).toBe('warn');
  });

  it('returns null for a database never tested or for another shape', () => {
    expect(checkView(null)).toBeNull();
    expect(checkView({ checks: 'none' })).toBeNull();
  });
});
