import type { StartStatus } from '../../api/status.ts';

export function CheckList({ checks }: { checks: StartStatus['checks'] }) {
  const problems = checks.filter((check) => check.status === 'fail' || check.status === 'warn');
  return (
    <section aria-labelledby="checks-heading">
      <h2 id="checks-heading">Checks</h2>
      {problems.length === 0 && <p data-testid="checks-ok">Everything OptiSchema needs is in place.</p>}
      <ul className="checks">
        {checks.map((check) => (
          <li key={check.id} className={check.status}>
            <span className="status">{check.status}</span> {check.message}
            {check.fix && check.status !== 'ok' && (
              <div>
                <code>{check.fix}</code>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
