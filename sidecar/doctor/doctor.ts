import { readFileSync } from 'node:fs';
import type { Queryable } from '../database/queryable.ts';
import { analysisChecks, readAnalysisFacts } from './analysis-checks.ts';
import { DoctorFacts, evaluate, extensionStates, type Check, type ExtensionState } from './checks.ts';

const FACTS_SQL = readFileSync(new URL('./facts.sql', import.meta.url), 'utf8');

export interface DoctorReport {
  database: string;
  user: string;
  serverVersion: string;
  checks: Check[];
  extensions: ExtensionState[];
  /** True when no check failed: OptiSchema can run on this database. */
  ready: boolean;
}

export interface DoctorOptions {
  /**
   * 'state' (default): the database OptiSchema lives in, which needs its schema and a connection
   * that bypasses row-level security. 'target': a database it only monitors and advises on, which
   * needs no more than docs/security.md lists (and a superuser connection earns a warning).
   */
  mode?: 'state' | 'target';
}

/** Checks one database for everything OptiSchema needs. Reads only; changes nothing. */
export async function runDoctor(db: Queryable, options: DoctorOptions = {}): Promise<DoctorReport> {
  const { rows } = await db.query(FACTS_SQL);
  const facts = DoctorFacts.parse(rows[0]);
  const target = options.mode === 'target';
  const checks = [...evaluate(facts, { target }), ...analysisChecks(facts, await readAnalysisFacts(db), target)];
  return {
    database: facts.database,
    user: facts.user_name,
    serverVersion: facts.server_version,
    checks,
    extensions: extensionStates(facts),
    ready: checks.every((check) => check.status !== 'fail'),
  };
}
