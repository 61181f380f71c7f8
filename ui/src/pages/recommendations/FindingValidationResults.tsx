import { Fragment } from 'react';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatTime } from '../../format.ts';
import { changeText, showsIndexUse, type FindingStatement, type FindingValidationView } from './finding-validation.ts';

/**
 * A health recommendation's sandbox validation: the verdict and its reason, then whatever the
 * validator measured — the statements before and after the change, a before/after comparison,
 * other figures — read generically (finding-validation.ts).
 */
export function FindingValidationResults({ validation: v, validatedAt }: { validation: FindingValidationView | null; validatedAt: string | null }) {
  const nothingMeasured = v !== null && v.statements === null && v.comparison.length === 0 && v.others.length === 0;
  return (
    <section aria-labelledby="validation-heading" data-testid="validation">
      <h2 id="validation-heading">Sandbox validation</h2>
      {!v ? (
        <p className="muted">
          No validation yet: validating tests the change in a sandbox copy of the database where a sandbox can test it (an index drop, a setting,
          extended statistics); what a sandbox cannot show, such as a connection pooler or a table rewrite, comes back inconclusive with the reason.
        </p>
      ) : (
        <div className="stack">
          <p>
            {v.verdict && <><StateBadge state={v.verdict} />{' '}</>}
            {v.reason ?? <span className="muted">no reason recorded</span>}
          </p>
          <dl>
            <dt>Measured</dt>
            <dd>{formatTime(validatedAt)}{v.sandbox && <> <span className="muted">in the {v.sandbox} sandbox</span></>}</dd>
            {v.setting && (
              <>
                <dt>Setting tested</dt>
                <dd><code>{v.setting.name} = {v.setting.value}</code> <span className="muted">(SET LOCAL in the sandbox)</span></dd>
              </>
            )}
          </dl>
          {v.statements !== null && (v.statements.length === 0 ? <p className="muted">No statement was measured.</p> : <StatementsTable statements={v.statements} />)}
          {v.comparison.length > 0 && (
            <div className="table-scroll">
              <table className="finding-comparison" data-testid="finding-comparison">
                <caption>Before and after the change</caption>
                <thead>
                  <tr>
                    <th scope="col">Figure</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {v.comparison.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.label}</th>
                      <td>{c.before}</td>
                      <td>{c.after}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {v.others.length > 0 && (
            <dl data-testid="validation-figures">
              {v.others.map((f) => (
                <Fragment key={f.key}>
                  <dt>{f.label}</dt>
                  <dd>{f.json ? <code className="fact-json">{f.value}</code> : f.value}</dd>
                </Fragment>
              ))}
            </dl>
          )}
          {nothingMeasured && <p className="muted">Nothing was measured in the sandbox.</p>}
        </div>
      )}
    </section>
  );
}

function StatementsTable({ statements }: { statements: readonly FindingStatement[] }) {
  const indexUse = showsIndexUse(statements);
  return (
    <>
      <div className="table-scroll">
        <table className="finding-statements" data-testid="finding-statements">
          <caption>Statements measured in the sandbox</caption>
          <thead>
            <tr>
              <th scope="col">Statement</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">Change</th>
              {indexUse && <th scope="col">Plan used the index</th>}
            </tr>
          </thead>
          <tbody>
            {statements.map((s, i) => (
              <tr key={i} data-testid="finding-statement">
                <td>
                  <code className="sql-inline">{s.query}</code>
                  {s.values && <div className="muted">run with {s.values}</div>}
                  {s.method && <div className="muted">measured by {s.method}</div>}
                  {s.error && <div className="error">could not be measured: {s.error}</div>}
                </td>
                <td>{s.before}</td>
                <td>{s.after}</td>
                <td>{changeText(s)}</td>
                {indexUse && <td>{s.usedIndex === null ? '–' : s.usedIndex ? 'yes' : 'no'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted table-note">
        Before and after the change, in the sandbox. Cost: the planner’s estimate (its units); times: the server’s execution time, median, fastest and slowest of the timed runs.
      </p>
    </>
  );
}
