import type { StartStatus } from '../api/status.ts';

type Loop = NonNullable<StartStatus['loop']>;

/** What OptiSchema is doing now: collecting, finding slow queries, validating, applying. */
export function LoopCard({ loop }: { loop: Loop }) {
  const count = (state: string) => loop.recommendations[state] ?? 0;
  const total = Object.values(loop.recommendations).reduce((sum, n) => sum + n, 0);
  return (
    <section aria-labelledby="loop-heading">
      <h2 id="loop-heading">What OptiSchema is doing</h2>
      <ul data-testid="loop">
        <li data-testid="loop-snapshot">{loop.next_snapshot_s === null ? 'no snapshot scheduled' : `next snapshot in ${loop.next_snapshot_s} s`}</li>
        <li data-testid="loop-slow">{loop.slow_queries === 0 ? 'no slow query found yet' : `${loop.slow_queries} slow ${loop.slow_queries === 1 ? 'query' : 'queries'} found`}</li>
        <li data-testid="loop-recommendations">
          {total === 0 ? 'no recommendation yet' : `${total} recommendation${total === 1 ? '' : 's'}: ${count('validating')} validating, ${count('validated')} validated, ${count('applied')} applied`}
        </li>
        <li data-testid="loop-sandbox">{sandboxLine(loop.sandbox)}</li>
        <li data-testid="loop-applied">{`${loop.applied} applied, ${loop.realized} with a measured gain`}</li>
      </ul>
    </section>
  );
}

function sandboxLine(sandbox: Loop['sandbox']): string {
  if (!sandbox) return 'no sandbox yet';
  if (sandbox.state === 'ready') return `sandbox ready (${sandbox.strategy})`;
  if (sandbox.state === 'failed') return `the sandbox could not be made: ${sandbox.error ?? 'unknown error'}`;
  const p = sandbox.progress;
  return p ? `making the sandbox (${sandbox.strategy}): ${p.phase} ${p.done} of ${p.total}` : `making the sandbox (${sandbox.strategy})`;
}
