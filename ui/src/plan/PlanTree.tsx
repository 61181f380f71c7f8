import { useId, useMemo, type KeyboardEvent } from 'react';
import { formatCost, formatMs } from './format.ts';
import { planTree } from './plan-model.ts';
import type { PlanViewOk } from './plan-types.ts';
import { PlanNodeItem } from './PlanNodeItem.tsx';
import './plan.css';

export interface PlanTreeProps {
  /** EXPLAIN (FORMAT JSON) output: the server's array, its one object, a bare plan node, or that as JSON text. */
  plan: unknown;
  title?: string;
}

/** A query plan as a tree of nodes, each with its own time, rows, buffers and findings. */
export function PlanTree({ plan, title }: PlanTreeProps) {
  const view = useMemo(() => planTree(plan), [plan]);
  const headingId = useId();
  return (
    <section className="plan-tree" aria-labelledby={title ? headingId : undefined}>
      {title && <h3 id={headingId} className="plan-tree__title">{title}</h3>}
      {view.ok ? (
        <>
          <PlanSummary view={view} />
          <ul role="tree" aria-label={title ? `${title}: query plan` : 'Query plan'} className="plan-tree__root" onKeyDown={moveFocus}>
            <PlanNodeItem node={view.root} level={1} />
          </ul>
        </>
      ) : (
        <p role="alert" className="plan-tree__error">
          This is not a query plan the viewer can read: {view.error}
        </p>
      )}
    </section>
  );
}

function PlanSummary({ view }: { view: PlanViewOk }) {
  const parts = [
    view.executionMs !== null ? `execution ${formatMs(view.executionMs)}` : null,
    view.planningMs !== null ? `planning ${formatMs(view.planningMs)}` : null,
    view.totalCost !== null ? `estimated cost ${formatCost(view.totalCost)}` : null,
  ].filter((part) => part !== null);
  return (
    <>
      {parts.length > 0 && <p className="plan-tree__summary">{parts.join(' · ')}</p>}
      {!view.analyzed && (
        <p role="note" className="plan-tree__note">
          Estimates only: this plan was made without ANALYZE, so it has no actual rows or times, and no findings that need them.
        </p>
      )}
      {view.analyzed && !view.timed && (
        <p role="note" className="plan-tree__note">
          Rows only: this plan was made with TIMING OFF, so it has no times.
        </p>
      )}
    </>
  );
}

/** Up and down arrows, Home and End move between the visible nodes, as in a file tree. */
function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const toggles = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('[data-plan-toggle]')];
  const at = toggles.indexOf(event.target as HTMLButtonElement);
  if (at === -1) return;
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? toggles.length - 1 : at + (event.key === 'ArrowDown' ? 1 : -1);
  const target = toggles[Math.max(0, Math.min(toggles.length - 1, next))];
  if (!target) return;
  event.preventDefault();
  target.focus();
}
