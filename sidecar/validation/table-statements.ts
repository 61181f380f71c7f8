/**
 * The workload's other statements on a recommendation's table (issue 11 §2: "the rest of the
 * workload's statements on that table run too: none may get slower beyond noise"): the target's
 * busiest application statements of the last day whose text names the table, other than the ones
 * the recommendation serves. A normalized text ($n) is run with a literal text the collector saw
 * for it (optischema.statement_samples); one without any is left out, as it cannot be run.
 *
 * Naming the table in the text is a cheap filter that misses statements reaching it through a
 * view; those are the ones a validation cannot promise anything about (docs/sandbox.md).
 */
import type { Queryable } from '../database/queryable.ts';
import type { ChosenStatement } from './measured-statements.ts';

/** At most this many other statements: each costs warm-up and N runs, before and after. */
export const MAX_OTHER_STATEMENTS = 10;

export async function otherStatementsOnTable(system: Queryable, targetId: string, table: string, exclude: readonly string[]): Promise<ChosenStatement[]> {
  return busiestStatements(system, targetId, { table, exclude });
}

/**
 * The target's busiest runnable application statements of the last day, heaviest first, at most
 * MAX_OTHER_STATEMENTS: those naming `table` when given (a server setting's validation takes them all).
 */
export async function busiestStatements(system: Queryable, targetId: string, options: { table?: string; exclude?: readonly string[] } = {}): Promise<ChosenStatement[]> {
  const table = options.table;
  const name = table === undefined ? null : table.includes('.') ? table.slice(table.indexOf('.') + 1) : table;
  const { rows } = await system.query<{ queryid: string; query: string; sample: string | null }>(
    `with busiest as (
       select h.queryid, sum(h.total_exec_time) as total_ms
         from optischema.statement_history h
        where h.target_id = $1 and h.captured_at > now() - interval '1 day' and h.queryid::text <> all ($3::text[])
        group by h.queryid)
     select b.queryid::text as queryid, q.query,
            (select s.query from optischema.statement_samples s
              where s.target_id = $1 and s.queryid = b.queryid order by s.times_seen desc, s.last_seen_at desc limit 1) as sample
       from busiest b
       join optischema.query_texts q on q.target_id = $1 and q.queryid = b.queryid
      where optischema.is_application_statement(q.query)
        and ($2::text is null or q.query ~* $2)
      order by b.total_ms desc
      limit $4`,
    // The name as a word of its own, quoted or not (a regular expression in PostgreSQL's syntax).
    [targetId, name === null ? null : `(^|[^a-z0-9_$"])"?${name.replace(/[^a-zA-Z0-9_]/g, (c) => `\\${c}`)}"?($|[^a-z0-9_$"])`, options.exclude ?? [], MAX_OTHER_STATEMENTS * 2],
  );
  const chosen: ChosenStatement[] = [];
  for (const row of rows) {
    if (!/\$\d/.test(row.query)) chosen.push({ queryid: row.queryid, query: row.query });
    else if (row.sample) chosen.push({ queryid: row.queryid, query: row.sample, label: 'seen in activity' });
    if (chosen.length === MAX_OTHER_STATEMENTS) break;
  }
  return chosen;
}
