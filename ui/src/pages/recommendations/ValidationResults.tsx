import { PlanComparison } from '../../plan/PlanComparison.tsx';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatBytes, formatMs, formatPct, formatTime } from '../../format.ts';
import { statementChangePct, type RunSummary, type StatementResult, type ValidationReport } from './validation-report.ts';
import { TimingBars } from './TimingBars.tsx';

/** The latest sandbox validation: the verdict, how it was measured, and each statement's timings and plans. */
export function ValidationResults({ validation, validatedAt }: { validation: ValidationReport | null; validatedAt: string | null }) {
  return (
    <section aria-labelledby="validation-heading" data-testid="validation">
      <h2 id="validation-heading">Sandbox validation</h2>
      {!validation ? (
        <p className="muted">No validation yet: validating builds the index in a sandbox copy of the database and times the queries before and after it.</p>
      ) : (
        <div className="stack">
          <p>
            <StateBadge state={validation.verdict} /> {validation.reason ?? <span className="muted">no reason recorded</span>}
          </p>
          <dl>
            <dt>How</dt>
            <dd>
              {validation.runs ?? '–'} timed runs of each statement before and after a real build of the index
              {validation.sandbox?.strategy && <> in the {validation.sandbox.strategy} sandbox</>}; the medians are compared
            </dd>
            <dt>Noise</dt>
            <dd>{validation.noisePct === null ? '–' : `changes under ${formatPct(validation.noisePct)} of the median count as noise`}</dd>
            <dt>Build time</dt>
            <dd>{formatMs(validation.buildMs)} <span className="muted">in the sandbox</span></dd>
            <dt>Measured size</dt>
            <dd>{formatBytes(validation.sizeBytes)}</dd>
            {validation.writeOverhead && 'error' in validation.writeOverhead && (
              <>
                <dt>Write overhead</dt>
                <dd className="error">not measured: {validation.writeOverhead.error}</dd>
              </>
            )}
            <dt>Measured</dt>
            <dd>{formatTime(validation.measuredAt ?? validatedAt)}</dd>
          </dl>
          {validation.planDiffersFromProduction && (
            <p className="warn">⚠ The sandbox's plan differs from production's for at least one statement: the timings speak for the sandbox's data.</p>
          )}
          {validation.skipped.length > 0 && (
            <div>
              <h3>Not measured</h3>
              <ul>
                {validation.skipped.map((s, i) => (
                  <li key={i}>
                    <code className="sql-inline">{s.query}</code> {s.why}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {validation.statements.length === 0 ? (
            <p className="muted">No statement was timed.</p>
          ) : (
            validation.statements.map((s, i) => <StatementResultView key={i} statement={s} n={i + 1} />)
          )}
        </div>
      )}
    </section>
  );
}

function StatementResultView({ statement: s, n }: { statement: StatementResult; n: number }) {
  const change = statementChangePct(s);
  return (
    <article className="statement-result stack" data-testid="statement-result">
      <h3>
        Statement {n}: {s.role === 'served' ? 'served by the index' : 'another query on the table (must not get slower)'}
      </h3>
      <SqlBlock text={s.query} label={`Statement ${n}`} />
      {s.values && s.values.length > 0 && (
        <p className="muted">
          Run with {s.values.map((v, i) => `$${i + 1} = ${v === null ? 'NULL' : v}`).join(', ')}
          {s.label && ` (${s.label} values)`}
        </p>
      )}
      {s.error && <p className="error">Could not be measured: {s.error}</p>}
      <div className="table-scroll">
        <table className="timings">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col" className="num">Median</th>
              <th scope="col" className="num">Min – max</th>
            </tr>
          </thead>
          <tbody>
            <TimingRow label="Before" runs={s.before} />
            <TimingRow label="After" runs={s.after} />
          </tbody>
        </table>
      </div>
      <p>
        {change === null ? '' : change >= 0 ? `${formatPct(change)} faster` : `${formatPct(-change)} slower`}
        {change === null ? '' : '; '}
        {s.usesIndex === null ? 'index use not recorded' : s.usesIndex ? 'the plan uses the index' : 'the plan does not use the index'}
      </p>
      <TimingBars statement={s} />
      {s.planDiffers && <p className="warn">⚠ Production's plan differs: {s.planDiffers}</p>}
      {s.planBefore !== undefined && s.planAfter !== undefined && (
        <details>
          <summary>Plans before and after</summary>
          <PlanComparison before={s.planBefore} after={s.planAfter} beforeTitle={`Statement ${n} before`} afterTitle={`Statement ${n} after`} />
        </details>
      )}
    </article>
  );
}

function TimingRow({ label, runs }: { label: string; runs: RunSummary | null }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{formatMs(runs?.medianMs)}</td>
      <td className="num">{runs ? `${formatMs(runs.minMs)} – ${formatMs(runs.maxMs)}` : '–'}</td>
    </tr>
  );
}
