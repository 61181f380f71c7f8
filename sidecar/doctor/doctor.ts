import { readFileSync } from 'node:fs';
import type { Queryable } from '../database/queryable.ts';
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

/** Checks one database for everything OptiSchema needs. Reads only; changes nothing. */
export async function runDoctor(db: Queryable): Promise<DoctorReport> {
  const { rows } = await db.query(FACTS_SQL);
  const facts = DoctorFacts.parse(rows[0]);
  const checks = evaluate(facts);
  return {
    database: facts.database,
    user: facts.user_name,
    serverVersion: facts.server_version,
    checks,
    extensions: extensionStates(facts),
    ready: checks.every((check) => check.status !== 'fail'),
  };
}
