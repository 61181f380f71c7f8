import { formatAgo, formatTime } from '../../format.ts';
import type { CheckView } from './check-result.ts';

const TONE = { ok: 'ok', warn: 'warn', error: 'error' } as const;
const ITEM_CLASS = { pass: 'ok', warn: 'warn', fail: 'fail', info: 'info' } as const;

/** A connection test: its one-line verdict, then each privilege, extension and setting check. */
export function CheckResultView({ check }: { check: CheckView | null }) {
  if (!check)
    return (
      <p className="muted" data-testid="never-tested">
        Never tested: test the connection to see what OptiSchema can use.
      </p>
    );
  return (
    <div data-testid="check-result">
      <p>
        <strong className={TONE[check.tone]} data-testid="check-summary">
          {check.summary}
        </strong>{' '}
        <span className="muted">
          (tested{' '}
          <time dateTime={check.checkedAt} title={formatTime(check.checkedAt)}>
            {formatAgo(check.checkedAt)}
          </time>
          {check.serverVersion ? `, PostgreSQL ${check.serverVersion}` : ''})
        </span>
      </p>
      {check.items.length > 0 && (
        <ul className="checks" aria-label="Checks">
          {check.items.map((item) => (
            <li key={item.id} className={ITEM_CLASS[item.label]} data-testid={`check-${item.id}`}>
              <span className="status">{item.label}</span> {item.message}
              {item.fix && (
                <div>
                  <span className="muted">Fix: </span>
                  <code>{item.fix}</code>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
