import { useId, useState, type KeyboardEvent } from 'react';
import { formatCost, formatCount, formatMs, formatShare } from './format.ts';
import type { Buffers, PlanNodeView } from './plan-types.ts';

/** One node of the tree: its summary line, and when open its details and children. */
export function PlanNodeItem({ node, level }: { node: PlanNodeView; level: number }) {
  const [open, setOpen] = useState(true);
  const detailsId = useId();
  const expandable = node.details.length > 0 || node.children.length > 0;
  // Left and right arrows close and open, as in a file tree; Enter and Space are the button's own.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowRight' && !open) setOpen(true);
    else if (event.key === 'ArrowLeft' && open) setOpen(false);
    else return;
    event.preventDefault();
  };
  const title = (
    <>
      {node.subplanName && <span className="plan-node__subplan">{node.subplanName}: </span>}
      <span className="plan-node__label">{node.label}</span>
    </>
  );
  return (
    <li role="treeitem" aria-level={level} aria-expanded={expandable ? open : undefined} className="plan-node" data-node-id={node.id}>
      <div className="plan-node__head">
        {expandable ? (
          <button type="button" className="plan-node__toggle" data-plan-toggle="" aria-controls={detailsId} onClick={() => setOpen(!open)} onKeyDown={onKeyDown}>
            <span className="plan-node__chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
            {title}
          </button>
        ) : (
          <span className="plan-node__toggle plan-node__toggle--leaf">{title}</span>
        )}
        <NodeMetrics node={node} />
        {node.badges.length > 0 && (
          <ul className="plan-badges" aria-label="Findings">
            {node.badges.map((badge) => (
              <li key={badge.kind} className={`plan-badge plan-badge--${badge.kind}`} title={badge.explanation}>
                {badge.text}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div id={detailsId} hidden={!open}>
        {open && node.details.length > 0 && (
          <dl className="plan-node__details">
            {node.details.map((line) => (
              <div key={line.label} className="plan-node__detail">
                <dt>{line.label}</dt>
                <dd>{line.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {open && node.children.length > 0 && (
          <ul role="group" className="plan-tree__group">
            {node.children.map((child) => (
              <PlanNodeItem key={child.id} node={child} level={level + 1} />
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

function NodeMetrics({ node }: { node: PlanNodeView }) {
  const actual = node.actual;
  return (
    <div className="plan-node__metrics">
      {node.exclusiveMs !== null && (
        <span className="plan-metric plan-metric--time" data-testid="node-time">
          <span>{formatMs(node.exclusiveMs)}</span>
          {node.share !== null && <span className="plan-metric__muted"> · {formatShare(node.share)}</span>}
          {node.share !== null && (
            <span className="plan-bar" aria-hidden="true">
              <span className="plan-bar__fill" style={{ width: `${Math.max(node.share * 100, 0.5)}%` }} />
            </span>
          )}
        </span>
      )}
      <span className="plan-metric" data-testid="node-rows">
        {rowsText(node)}
      </span>
      {actual?.loops === 0 && <span className="plan-metric plan-metric--never">never executed</span>}
      {node.ownBuffers && (
        <span className="plan-metric" title="This node's own buffers; its details have them with its children's">
          {buffersText(node.ownBuffers)}
        </span>
      )}
      {node.totalCost !== null && <span className="plan-metric plan-metric__muted">cost {formatCost(node.totalCost)}</span>}
    </div>
  );
}

function rowsText(node: PlanNodeView): string {
  const estimate = node.planRows === null ? 'rows' : `rows est ${formatCount(node.planRows)}`;
  const actual = node.actual;
  if (!actual) return estimate;
  if (actual.loops <= 1) return `${estimate} · actual ${formatCount(actual.total)}`;
  return `${estimate} · actual ${formatCount(actual.perLoop)} × ${formatCount(actual.loops)} loops = ${formatCount(actual.total)}`;
}

function buffersText(own: Buffers): string {
  const parts = [`hit ${formatCount(own.sharedHit)}`, `read ${formatCount(own.sharedRead)}`];
  if (own.tempRead > 0 || own.tempWritten > 0) parts.push(`temp read ${formatCount(own.tempRead)}`, `temp written ${formatCount(own.tempWritten)}`);
  return `buffers ${parts.join(' · ')}`;
}
