import { useMemo } from 'react';
import { comparePlans } from './compare-plans.ts';
import { planTree } from './plan-model.ts';
import { PlanTree } from './PlanTree.tsx';
import './plan.css';

export interface PlanComparisonProps {
  /** EXPLAIN (FORMAT JSON) output of the query before the change, in any form PlanTree takes. */
  before: unknown;
  after: unknown;
  beforeTitle?: string;
  afterTitle?: string;
}

/** Two plans of one query side by side (stacked when narrow), with what changed above them. */
export function PlanComparison({ before, after, beforeTitle = 'Before', afterTitle = 'After' }: PlanComparisonProps) {
  const summary = useMemo(() => comparePlans(planTree(before), planTree(after)), [before, after]);
  return (
    <section className="plan-comparison" aria-label="Plan comparison">
      {summary.ok ? (
        <ul className="plan-comparison__summary" aria-label="What changed">
          {summary.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="plan-comparison__error">The plans cannot be compared: {summary.error}</p>
      )}
      <div className="plan-comparison__sides">
        <PlanTree plan={before} title={beforeTitle} />
        <PlanTree plan={after} title={afterTitle} />
      </div>
    </section>
  );
}
