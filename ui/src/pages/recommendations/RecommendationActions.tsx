import { useId, useState } from 'react';
import type { AppRole } from '../../app/session-context.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import {
  ACTION_LABEL,
  actionTitle,
  availableActions,
  dismissReasonOk,
  FORCE_REASON_MIN,
  forceReasonOk,
  type ActionRequest,
  type RecommendationAction,
} from './recommendation-actions.ts';
import { localInputValue, localZone, scheduleTime } from './schedule-time.ts';

export interface RecommendationActionsProps {
  state: string | null;
  role: AppRole;
  database: string;
  statement: string | null;
  rollbackStatement: string | null;
  /** The index advisor's CREATE INDEX (the default), or a health advisor's change: the dialogs say what runs. */
  index?: boolean;
  /** Steps to follow by hand: no apply, schedule or force apply is offered (the server refuses them). */
  manual?: boolean;
  /** The change takes effect only after a restart of PostgreSQL: the apply dialogs say so. */
  needsRestart?: boolean;
  /** Runs the confirmed action; resolves to the server's message when it refused, else null. */
  onRun(request: ActionRequest): Promise<string | null>;
  /** The clock, for the schedule picker (tests pass a fixed one). */
  now?: () => number;
}

/**
 * The buttons for the moves this role may make from this state, each behind a confirmation.
 * A refused action leaves its dialog open with what was typed, under the server's message.
 */
export function RecommendationActions({
  state,
  role,
  database,
  statement,
  rollbackStatement,
  index = true,
  manual = false,
  needsRestart = false,
  onRun,
  now = Date.now,
}: RecommendationActionsProps) {
  const actions = availableActions(state, role, { manual });
  const [active, setActive] = useState<RecommendationAction | null>(null);
  const [reason, setReason] = useState('');
  const [when, setWhen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { reason: useId(), when: useId(), whenHelp: useId() };
  // An open dialog stays while a live update moves the state: its confirmation then gets the server's refusal.
  if (actions.length === 0 && !active) return null;

  const open = (action: RecommendationAction) => {
    setActive(action);
    setReason('');
    setError(null);
    // The next full hour: a sensible default that is always in the future.
    if (action === 'schedule') setWhen(localInputValue(Math.ceil((now() + 60_000) / 3_600_000) * 3_600_000));
  };
  const close = () => {
    setActive(null);
    setError(null);
  };
  const schedule = scheduleTime(when, now());
  const request = (action: RecommendationAction): ActionRequest | null => {
    switch (action) {
      case 'validate':
        return { action: 'validate' };
      case 'apply':
        return { action: 'apply', at: null, forceReason: null };
      case 'schedule':
        return schedule.ok ? { action: 'apply', at: schedule.iso, forceReason: null } : null;
      case 'forceApply':
        return forceReasonOk(reason) ? { action: 'apply', at: null, forceReason: reason.trim() } : null;
      case 'dismiss':
        return dismissReasonOk(reason) ? { action: 'dismiss', reason: reason.trim() } : null;
      case 'rollback':
        return { action: 'rollback' };
      case 'reopen':
        return { action: 'reopen' };
    }
  };
  const confirm = async () => {
    if (!active) return;
    const r = request(active);
    if (!r) return;
    setBusy(true);
    setError(null);
    try {
      const refused = await onRun(r);
      if (refused) setError(refused);
      else close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const sql = (text: string | null, label: string) => (text ? <SqlBlock text={text} label={label} /> : <p className="error">No SQL recorded.</p>);
  const runs = index ? <>runs <code>CREATE INDEX CONCURRENTLY</code></> : <>runs the SQL below</>;
  const restart = needsRestart && <p className="warn">The change takes effect only after a restart of PostgreSQL, which OptiSchema does not do.</p>;
  const body = (action: RecommendationAction) => {
    switch (action) {
      case 'validate':
        return index ? (
          <p>OptiSchema builds the index in the sandbox copy of {database} and times the queries it serves before and after. Nothing runs on the production database.</p>
        ) : (
          <p>OptiSchema tests the change in the sandbox copy of {database}, where a sandbox can test it, and measures the statements it touches before and after. Nothing runs on the production database.</p>
        );
      case 'apply':
        return (
          <>
            <p>
              OptiSchema {runs} on the production database <strong>{database}</strong> now.{index && ' The table stays readable and writable while the index builds.'}
            </p>
            {sql(statement, 'SQL to apply')}
            {restart}
          </>
        );
      case 'schedule':
        return (
          <>
            <p>
              OptiSchema {runs} on the production database <strong>{database}</strong> when the maintenance window starts.
            </p>
            {sql(statement, 'SQL to apply')}
            {restart}
            <label htmlFor={ids.when}>
              Maintenance window start ({localZone()})
              <input
                id={ids.when}
                type="datetime-local"
                value={when}
                min={localInputValue(now())}
                required
                aria-invalid={!schedule.ok}
                aria-describedby={ids.whenHelp}
                onChange={(e) => setWhen(e.target.value)}
              />
            </label>
            <p id={ids.whenHelp} className={schedule.ok ? 'muted' : 'error'}>
              {schedule.ok ? `Runs at ${new Date(schedule.iso).toUTCString()}.` : `Cannot schedule: ${schedule.error}.`}
            </p>
          </>
        );
      case 'forceApply':
        return (
          <>
            <p>
              This recommendation is not validated. OptiSchema {runs} on the production database <strong>{database}</strong> now, without a sandbox measurement. The reason is kept in the audit log.
            </p>
            {sql(statement, 'SQL to apply')}
            {restart}
            <ReasonField id={ids.reason} label={`Why it must go without a validation (at least ${FORCE_REASON_MIN} characters)`} value={reason} onChange={setReason} />
          </>
        );
      case 'dismiss':
        return (
          <>
            <p>The recommendation is closed; OptiSchema does not propose it again. The reason is kept with it.</p>
            <ReasonField id={ids.reason} label="Reason (required)" value={reason} onChange={setReason} />
          </>
        );
      case 'rollback':
        return (
          <>
            <p>OptiSchema {index ? 'drops the index' : 'undoes the change'} on the production database <strong>{database}</strong> with:</p>
            {sql(rollbackStatement, 'Rollback SQL')}
          </>
        );
      case 'reopen':
        return <p>The recommendation becomes proposed again.</p>;
    }
  };

  return (
    <div className="row recommendation-actions" role="group" aria-label="Actions">
      {actions.map((a) => (
        <button key={a} type="button" className={buttonClass(a, actions)} onClick={() => open(a)}>
          {ACTION_LABEL[a].button}
        </button>
      ))}
      {active && (
        <ConfirmDialog
          open
          title={actionTitle(active, index)}
          confirmLabel={ACTION_LABEL[active].confirm}
          confirmDisabled={request(active) === null}
          danger={active === 'apply' || active === 'schedule' || active === 'forceApply' || active === 'rollback' || active === 'dismiss'}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={close}
        >
          <div className="stack action-body">
            {body(active)}
            {error && <p role="alert" className="error">Refused: {error}</p>}
          </div>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** One primary button, the step forward (apply when it can be, else validate); the ways out in red. */
function buttonClass(action: RecommendationAction, all: readonly RecommendationAction[]): string | undefined {
  if (action === 'apply' || (action === 'validate' && !all.includes('apply'))) return 'primary';
  return action === 'dismiss' || action === 'forceApply' || action === 'rollback' ? 'danger' : undefined;
}

function ReasonField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange(value: string): void }) {
  return (
    <label htmlFor={id}>
      {label}
      <textarea id={id} rows={3} required value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
