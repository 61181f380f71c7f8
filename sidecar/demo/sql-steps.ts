import { readFile } from 'node:fs/promises';

/** A named part of a .sql file: one or more statements the loader sends in one round trip. */
export interface SqlStep {
  name: string;
  sql: string;
}

const STEP_MARKER = /^-- step: (.+)$/;

/**
 * Splits a .sql file into steps at lines `-- step: NAME`, so that a long script can report progress
 * between its parts. Text before the first marker that holds only comments is dropped; statements
 * there become a step named `fallbackName`.
 *
 * @example splitSqlSteps('-- step: a\nselect 1;\n-- step: b\nselect 2;', 'f') // [{name: 'a', …}, {name: 'b', …}]
 */
export function splitSqlSteps(text: string, fallbackName: string): SqlStep[] {
  const steps: SqlStep[] = [];
  let name = fallbackName;
  let lines: string[] = [];
  const flush = () => {
    const sql = lines.join('\n').trim();
    if (hasStatement(sql)) steps.push({ name, sql });
  };
  for (const line of text.split('\n')) {
    const marker = STEP_MARKER.exec(line);
    if (marker?.[1]) {
      flush();
      name = marker[1].trim();
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return steps;
}

/** Reads a .sql file that sits beside a module: `readSqlSteps(new URL('./data.sql', import.meta.url))`. */
export async function readSqlSteps(file: URL): Promise<SqlStep[]> {
  const text = await readFile(file, 'utf8');
  const fallbackName = file.pathname.split('/').pop() ?? 'sql';
  return splitSqlSteps(text, fallbackName);
}

function hasStatement(sql: string): boolean {
  return sql.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--'));
}
