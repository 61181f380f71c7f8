/**
 * The work_mem a node needed, as a setting's value: the measured need rounded up to a power of two
 * in MB (at least 1 MB), so the advice lands on values people set and leaves headroom.
 */

/** kB → `'4MB'`; the value a `SET work_mem` takes. */
export function workMemValue(neededKb: number): string {
  const mb = Math.max(1, neededKb / 1024);
  return `${2 ** Math.ceil(Math.log2(mb))}MB`;
}

/** The SQL and rollback of a statement-scoped setting, with the role-scoped way in `why`. */
export function settingFix(setting: string, value: string, reason: string): { sql: string; rollbackSql: null; why: string } {
  return {
    sql: `SET LOCAL ${setting} = '${value}';`,
    // SET LOCAL ends with its transaction: nothing is left to undo.
    rollbackSql: null,
    why:
      `${reason} SET LOCAL raises it for the one transaction that runs the statement; for every statement of one role, ` +
      `ALTER ROLE <role> SET ${setting} = '${value}'; (undone by ALTER ROLE <role> RESET ${setting};). ` +
      'Raising it for the whole server multiplies by every sort and hash of every connection.',
  };
}
