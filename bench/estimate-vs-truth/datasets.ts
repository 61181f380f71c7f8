/**
 * The two datasets whose cases the estimate-vs-truth bench validates, loaded side by side in the
 * one bench database (schemas saas, demo and bench_advice do not overlap), so that a single
 * template clone copies both: the SaaS tracker (bench/saas-advice/) and, when `demoScale` > 0, the
 * demo shop with bench/index-advice's own objects.
 */
import type pg from 'pg';
import { loadDemoInto } from '../../sidecar/cli/commands/demo.ts';
import { appRole } from '../../test/support/app-role.ts';
import { buildCases, SETUP_SQL, type AdviceCase } from '../index-advice/cases.ts';
import { loadAdviceSample } from '../index-advice/sample.ts';
import { buildSaasCases } from '../saas-advice/cases.ts';
import { loadSaas } from '../saas-advice/load.ts';
import { loadSaasSample } from '../saas-advice/sample.ts';

/** The role the cases are planned as: a superuser's UPDATE or DELETE is never planned (see index-advice.ts). */
export const APP_ROLE = 'optischema_bench_app';

export type Dataset = 'saas' | 'demo';

export interface TruthCase {
  dataset: Dataset;
  case: AdviceCase;
}

export interface Loaded {
  cases: TruthCase[];
  /** Author role oids for adviseQueries. */
  authors: string[];
  /** One line per dataset: what was loaded, how big, how long. */
  summary: string[];
}

/**
 * Loads the datasets into the database of `url` (`client` is a session on it) and builds their
 * cases. Bad inputs (index-advice's kind 'bad') are left out: they recommend nothing to validate.
 */
export async function loadDatasets(client: pg.ClientBase, url: string, scales: { saas: number; demo: number }, progress: (message: string) => void): Promise<Loaded> {
  const summary: string[] = [];
  const schemas = ['saas'];
  if (scales.demo > 0) {
    // loadDemoInto opens its own session, and the demo must exist before SETUP_SQL copies demo.events.
    const demo = await loadDemoInto(url, scales.demo);
    summary.push(`demo: scale ${scales.demo}, loaded in ${demo.seconds.toFixed(1)} s: ${demo.tables.map((t) => `${t.name} ${t.rows.toLocaleString('en-US')}`).join(', ')}`);
    await client.query(SETUP_SQL);
    schemas.push('demo', 'bench_advice');
  }
  const saas = await loadSaas(client, scales.saas, (message) => progress(`load ${message}`));
  summary.push(`saas: scale ${scales.saas}, loaded in ${saas.seconds.toFixed(1)} s: ${saas.tables.map((t) => `${t.name} ${t.rows.toLocaleString('en-US')}`).join(', ')}`);
  const authors = [await appRole(client, schemas, APP_ROLE)];
  const cases: TruthCase[] = buildSaasCases(await loadSaasSample(client)).map((c) => ({ dataset: 'saas' as const, case: c }));
  if (scales.demo > 0) {
    for (const c of buildCases(await loadAdviceSample(client))) if (c.kind !== 'bad') cases.push({ dataset: 'demo', case: c });
  }
  return { cases, authors, summary };
}
