/**
 * A plan as the model reads it: one line per node, indented, with what matters for performance
 * and nothing else (the full EXPLAIN JSON would spend the token budget on keys).
 */
const KEPT = ['Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Sort Key', 'Group Key', 'Sort Method', 'Sort Space Type'];

export function planLines(plan: unknown): string[] {
  const root = Array.isArray(plan) ? (plan[0] as { Plan?: unknown } | undefined)?.Plan : (plan as { Plan?: unknown } | null)?.Plan;
  const lines: string[] = [];
  const visit = (node: Record<string, unknown>, depth: number) => {
    const on = node['Relation Name'] ? ` on ${node.Schema ? `${String(node.Schema)}.` : ''}${String(node['Relation Name'])}` : '';
    const using = node['Index Name'] ? ` using ${String(node['Index Name'])}` : '';
    const figures = [
      `est rows ${node['Plan Rows']}`,
      node['Actual Rows'] !== undefined ? `actual rows ${node['Actual Rows']} × ${node['Actual Loops']} loops` : '',
      node['Actual Total Time'] !== undefined ? `${node['Actual Total Time']} ms` : '',
      `cost ${node['Total Cost']}`,
      node['Rows Removed by Filter'] !== undefined ? `removed by filter ${node['Rows Removed by Filter']}` : '',
      node['Shared Read Blocks'] !== undefined ? `buffers hit ${node['Shared Hit Blocks']} read ${node['Shared Read Blocks']}` : '',
    ].filter(Boolean).join(', ');
    const details = KEPT.flatMap((k) => (node[k] !== undefined ? [`${k}: ${Array.isArray(node[k]) ? (node[k] as unknown[]).join(', ') : String(node[k])}`] : []));
    lines.push(`${'  '.repeat(depth)}${String(node['Node Type'])}${on}${using} (${figures})${details.length ? `; ${details.join('; ')}` : ''}`);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child, depth + 1);
  };
  if (root && typeof root === 'object') visit(root as Record<string, unknown>, 0);
  return lines;
}

/** The tables a plan reads, `schema.table` quoted as SQL needs, in order of first appearance. */
export function planTables(plan: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record['Relation Name'] === 'string') {
      const name = `${record.Schema ? `${quote(String(record.Schema))}.` : ''}${quote(record['Relation Name'])}`;
      if (!found.includes(name)) found.push(name);
    }
    visit(record.Plan);
    visit(record.Plans);
  };
  visit(plan);
  return found;
}

const quote = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
