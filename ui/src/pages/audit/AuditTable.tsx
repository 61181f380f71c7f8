import { formatTime } from '../../format.ts';
import { codeText, type AuditRow } from './audit-rows.ts';

const TONE_CLASS = { ok: 'ok', warn: 'warn', error: 'error' } as const;

/** One page of the audit log: who did what to which object, from where, and how it ended. */
export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="audit">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col" className="hide-narrow">
              Object
            </th>
            <th scope="col">Result</th>
            <th scope="col" className="hide-narrow">
              Client address
            </th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row">
              <td style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={r.at ?? undefined}>{formatTime(r.at)}</time>
              </td>
              <td>
                {r.actor}
                {r.actorKind !== 'user' && <div className="muted">{r.actorKind}</div>}
              </td>
              <td>
                <code>{r.action}</code>
              </td>
              <td className="hide-narrow">{r.object ?? '–'}</td>
              <td className={TONE_CLASS[r.result.tone]} data-testid="audit-result">
                <strong>{r.result.label}</strong>
                {r.code && <div className="muted">{codeText(r.code)}</div>}
              </td>
              <td className="hide-narrow">{r.clientAddress ?? '–'}</td>
              <td>
                {r.details ? (
                  <details>
                    <summary>Show details</summary>
                    <pre data-testid="audit-details">{r.details}</pre>
                  </details>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
