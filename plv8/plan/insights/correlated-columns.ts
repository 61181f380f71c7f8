/**
 * correlated_columns: a scan with several AND-ed conditions on columns of one table is
 * misestimated while its statistics are fresh. The planner multiplies the conditions'
 * selectivities as if the columns were independent (b = 1 and c = 1 at 1% each: 0.01%), which is
 * far off when one column follows another. Extended statistics (CREATE STATISTICS … dependencies,
 * mcv) teach it the columns' joint distribution.
 *
 * On a partition, the statistics object is made on the partition the plan scans (the planner
 * reads each partition's own statistics); partitions added later need their own.
 */
import { quoteIdent } from '../../engine/quote-ident.ts';
import { analyzeCondition } from '../conditions.ts';
import { EXPLAIN } from '../explain-keys.ts';
import { childrenOf, isExcluded, nodeRef, relationSql, relationText, str, type RelationName, type VisitedNode } from './plan-tree.ts';
import type { Misestimate } from './row-misestimate.ts';
import type { InsightNode, PlanInsight, Severity } from './types.ts';
// The index advisor's name parts, so statistics and index names read alike.
import { shortHash, slug } from '../../advisor/candidates/index-names.ts';

/** STATS_MAX_DIMENSIONS in PostgreSQL's statistics.h: a statistics object covers at most 8 columns. */
export const MAX_STATISTICS_COLUMNS = 8;
/** NAMEDATALEN - 1: a longer identifier is silently truncated by the server. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Comparisons extended statistics can estimate together (dependencies: equality; mcv: also ranges, IN, IS NULL). */
const JOINT_KINDS = new Set(['eq', 'in', 'range', 'bool', 'is_null', 'not_null']);

/** The scan's conditions: Filter, Index Cond, Recheck Cond, and a bitmap heap scan's index conditions. */
function conditionsOf(node: InsightNode): string[] {
  const texts = [EXPLAIN.filter, EXPLAIN.indexCond, EXPLAIN.recheckCond].map((k) => str(node, k)).filter((t): t is string => t !== undefined);
  if (str(node, EXPLAIN.nodeType) === 'Bitmap Heap Scan') {
    const collect = (n: InsightNode): void => {
      const cond = str(n, EXPLAIN.indexCond);
      if (cond !== undefined) texts.push(cond);
      if (str(n, EXPLAIN.nodeType) !== 'BitmapOr') childrenOf(n).forEach(collect);
    };
    childrenOf(node).forEach(collect);
  }
  return texts;
}

/** The distinct columns of `relation` compared in AND-ed conditions, sorted (a deterministic statistics name). */
export function conditionColumns(node: InsightNode, relation: RelationName): string[] {
  const columns = new Set<string>();
  for (const text of conditionsOf(node)) {
    for (const atom of analyzeCondition(text).atoms) {
      if (atom.column === null || !JOINT_KINDS.has(atom.kind)) continue;
      if (atom.alias !== null && atom.alias !== relation.alias && atom.alias !== relation.table) continue;
      columns.add(atom.column);
    }
  }
  return [...columns].sort();
}

export function correlatedColumns(visited: VisitedNode, misestimate: Misestimate, severity: Severity): PlanInsight | null {
  const relation = visited.relation;
  if (!relation || isExcluded(relation) || visited.nodeType === 'Bitmap Index Scan') return null;
  const columns = conditionColumns(visited.node, relation).slice(0, MAX_STATISTICS_COLUMNS);
  if (columns.length < 2) return null;
  const name = statisticsName(relation.table, columns);
  const qualifiedName = relation.schema === undefined ? quoteIdent(name) : `${quoteIdent(relation.schema)}.${quoteIdent(name)}`;
  const table = relationSql(relation);
  return {
    rule: 'correlated_columns',
    severity,
    node: nodeRef(visited),
    message:
      `${relationText(relation)} is filtered on ${columns.join(', ')} together and estimated ${Math.round(misestimate.factor)}× ` +
      `${misestimate.direction === 'under' ? 'too low' : 'too high'} (${misestimate.planned} planned vs ${misestimate.actual} actual rows per loop): ` +
      'the planner multiplies the conditions as if the columns were independent.',
    evidence: { columns, statisticsName: name, plannedRows: misestimate.planned, actualRows: misestimate.actual, factor: Math.round(misestimate.factor) },
    fix: {
      sql: `CREATE STATISTICS ${qualifiedName} (dependencies, mcv) ON ${columns.map(quoteIdent).join(', ')} FROM ${table};\nANALYZE ${table};`,
      rollbackSql: `DROP STATISTICS IF EXISTS ${qualifiedName};`,
      why:
        'Extended statistics record how the columns depend on each other (functional dependencies) and their most common ' +
        'value combinations, so the planner estimates the AND-ed conditions jointly; ANALYZE fills them. Validate by re-planning ' +
        '(the estimate error should shrink).',
    },
  };
}

/** `<table>_<col>_<col>_stat`, lower-case ASCII, at most 63 bytes (a stable hash replaces the overflow, and marks names the slug changed). */
export function statisticsName(table: string, columns: readonly string[]): string {
  const base = [slug(table), ...columns.map(slug)].join('_');
  const full = `${base}_stat`;
  // A name the slug changed (mixed case, spaces) could meet another's slug: the hash keeps them apart.
  const changed = [table, ...columns].some((name) => slug(name) !== name);
  if (full.length <= MAX_IDENTIFIER_BYTES && !changed) return full;
  const hash = shortHash(`${table}\u0000${columns.join('\u0000')}`);
  const room = MAX_IDENTIFIER_BYTES - '_stat'.length - hash.length - 1;
  return `${base.slice(0, room).replace(/_+$/, '')}_${hash}_stat`;
}
