/**
 * The `sample` strategy (issue 11 §1): a sandbox with the source's whole schema and a fraction of
 * its rows, foreign-key-consistent, for a database too big to copy whole.
 *
 * 1. `pg_dump --schema-only` once, kept in memory (a schema is small), restored in two halves:
 *    pre-data (tables, types, functions) now, post-data (primary keys, unique and foreign keys,
 *    indexes, triggers) at the end, so the load is not slowed by indexes and every foreign key is
 *    validated over the final sample when it is added.
 * 2. Each table that holds rows (partition leaves, never a partitioned parent) sampled at
 *    `fraction` with TABLESAMPLE BERNOULLI; a table under SMALL_TABLE_ROWS rows copied whole.
 * 3. Closure: for every foreign key, the referenced rows the sample lacks are looked up in the
 *    sandbox and fetched from the source, round after round, until a round adds nothing (a parent
 *    fetched may reference its own parents, or its own table). Cycles need no breaking: no
 *    constraint exists in the sandbox while it fills, so the load order does not matter, and each
 *    round only adds rows the sandbox lacks, so the rounds end. A deep self-reference (a chain of
 *    managers) costs one round per level.
 * 4. ANALYZE, the sample's own statistics being what the planner will use.
 *
 * Everything is read from the source in one REPEATABLE READ READ ONLY transaction: one snapshot,
 * so a parent deleted meanwhile cannot be missing, and nothing is ever written there (this works
 * on a standby too). Rows move as COPY streams (copy-between.ts).
 */
import { randomInt } from 'node:crypto';
import { maskUrlSecrets } from '../database/redact-url.ts';
import { program, type PgBinaries } from '../embedded/binaries.ts';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import path from 'node:path';
import type pg from 'pg';
import { analyzeDatabase } from './analyze-database.ts';
import { COPY_SESSION_SETTINGS, copyBetween } from './copy-between.ts';
import { dumpCreatesPublic, selectionArgs, type SchemaSelection } from './dump-selection.ts';
import { failureOf, startProgram } from './pg-program.ts';
import { columnListSql, rowsSql, sampleForeignKeys, sampleTables, tableSql, type SampleForeignKey, type SampleTable } from './sample-catalog.ts';
import { createSandboxDatabase, databaseNameOf, dropSandboxAfterFailure, withClient } from './sandbox-database.ts';

/** Below this many rows a table is copied whole: sampling it would only starve the joins. */
export const SMALL_TABLE_ROWS = 1000;

export interface SampleProgress {
  /** schema: the two restores; sample: tables sampled; closure: rounds (total = rounds so far); analyze: tables. */
  phase: 'schema' | 'sample' | 'closure' | 'analyze';
  done: number;
  total: number;
}

export interface SampleIntoOptions extends SchemaSelection {
  sourceUrl: string;
  /** Any database on the server that receives the sample, as a role that may CREATE DATABASE. */
  serverUrl: string;
  binaries: PgBinaries;
  /** Share of each big table's rows, 0 < fraction ≤ 1 (default 0.1). */
  fraction?: number;
  /** Keep owners and privileges (only when the sample goes to the source's own cluster). */
  keepOwners?: boolean;
  onProgress?: (progress: SampleProgress) => void;
  /** Ends the sample early (a sidecar shutting down): the programs and sessions are stopped, the sample dropped. */
  signal?: AbortSignal;
}

export interface Sample {
  database: string;
  /** Wall-clock time of the whole sample, analyze included, measured here. */
  ms: number;
  /** Rows in the sandbox per table that holds rows, by `schema.table`, parents brought in included. */
  rows: Record<string, number>;
}

/**
 * Makes a new `optischema_sandbox_<source>_<hex>` database holding a foreign-key-consistent sample.
 * On failure the half-made database is dropped and one Error says why, passwords masked.
 *
 * @example
 *   const { database, rows } = await sampleInto({ sourceUrl, serverUrl, binaries, fraction: 0.05 });
 */
export async function sampleInto(options: SampleIntoOptions): Promise<Sample> {
  const started = performance.now();
  const fraction = options.fraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction must be above 0 and at most 1, not ${fraction}`);
  const source = databaseNameOf(options.sourceUrl);
  const report = (progress: SampleProgress) => options.onProgress?.(progress);
  let created: { name: string; url: string } | null = null;
  try {
    const selection = await withClient(options.sourceUrl, (client) => selectionArgs(client, options));
    const schema = await dumpSchema(options, selection);
    created = await createSandboxDatabase(options.sourceUrl, options.serverUrl);
    const sandboxUrl = created.url;
    if (dumpCreatesPublic(selection)) await withClient(sandboxUrl, (sandbox) => sandbox.query('drop schema public'));
    report({ phase: 'schema', done: 0, total: 2 });
    await restoreSection(options, sandboxUrl, schema, 'pre-data');
    report({ phase: 'schema', done: 1, total: 2 });
    const rows = await withClient(options.sourceUrl, (reader) =>
      withClient(sandboxUrl, async (sandbox) => {
        await reader.query('begin transaction isolation level repeatable read read only');
        try {
          await reader.query(COPY_SESSION_SETTINGS);
          await sandbox.query(COPY_SESSION_SETTINGS);
          const tables = await sampleTables(reader, options);
          const keys = await sampleForeignKeys(reader, tables);
          await sampleTablesInto(reader, sandbox, tables, fraction, report);
          await closeOverForeignKeys(reader, sandbox, keys, report);
          return await rowCounts(sandbox, tables);
        } finally {
          await reader.query('rollback').catch(() => undefined);
        }
      }, options.signal),
    options.signal);
    await restoreSection(options, sandboxUrl, schema, 'post-data');
    report({ phase: 'schema', done: 2, total: 2 });
    await withClient(sandboxUrl, (sandbox) => analyzeDatabase(sandbox, (done, total) => report({ phase: 'analyze', done, total })), options.signal);
    return { database: created.name, ms: performance.now() - started, rows };
  } catch (error) {
    const dropNote = created ? await dropSandboxAfterFailure(options.serverUrl, created.name) : null;
    const reason = maskUrlSecrets(maskUrlSecrets(error instanceof Error ? error.message : String(error), options.sourceUrl), options.serverUrl);
    throw new Error(`could not sample ${source}: ${reason}${dropNote ? `; ${dropNote}` : ''}`, { cause: error });
  }
}

/** The source's schema as a custom-format archive in memory. */
async function dumpSchema(options: SampleIntoOptions, selection: string[]): Promise<Buffer> {
  const dump = startProgram(program(options.binaries, 'pg_dump'), ['--format=custom', '--schema-only', ...selection], options.sourceUrl, { stdout: true, signal: options.signal });
  const chunks: Buffer[] = [];
  dump.child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exit = await dump.exited;
  const failure = failureOf(dump, exit);
  if (failure) throw new Error(failure);
  return Buffer.concat(chunks);
}

async function restoreSection(options: SampleIntoOptions, sandboxUrl: string, archive: Buffer, section: 'pre-data' | 'post-data'): Promise<void> {
  const restore = startProgram(
    path.join(options.binaries.bindir, 'pg_restore'),
    [
      `--section=${section}`,
      '--exit-on-error',
      '--no-subscriptions',
      ...(options.keepOwners ? [] : ['--no-owner', '--no-privileges', '--no-tablespaces']),
    ],
    sandboxUrl,
    { stdin: true, signal: options.signal },
  );
  // pg_restore may stop reading early (an error): its exit says why, not the write's EPIPE.
  restore.child.stdin!.on('error', () => undefined);
  restore.child.stdin!.end(archive);
  const failure = failureOf(restore, await restore.exited);
  if (failure) throw new Error(`restoring the schema's ${section}: ${failure}`);
}

/** Step 2: each table holding rows, sampled or (when small) whole. */
async function sampleTablesInto(reader: pg.ClientBase, sandbox: pg.ClientBase, tables: SampleTable[], fraction: number, report: (p: SampleProgress) => void): Promise<void> {
  const leaves = tables.filter((t) => t.kind === 'r');
  // One seed for the run; BERNOULLI's choice is then fixed for the snapshot.
  const seed = randomInt(1, 2 ** 31 - 1);
  const percent = Number((fraction * 100).toPrecision(12));
  report({ phase: 'sample', done: 0, total: leaves.length });
  let done = 0;
  for (const table of leaves) {
    // Counting at most SMALL_TABLE_ROWS rows answers "is it small?" without reading a big table whole.
    const probe = await reader.query<{ n: number }>(`select count(*)::int as n from (select from ${rowsSql(table)} limit ${SMALL_TABLE_ROWS}) s`);
    const whole = (probe.rows[0]?.n ?? 0) < SMALL_TABLE_ROWS || fraction === 1;
    const sampling = whole ? '' : ` tablesample bernoulli (${percent}) repeatable (${seed})`;
    await copyBetween(reader, `select ${columnsSql(table)} from ${rowsSql(table)}${sampling}`, sandbox, `${tableSql(table)} ${columnListSql(table)}`);
    report({ phase: 'sample', done: ++done, total: leaves.length });
  }
}

/**
 * Step 3. Each round: per foreign key, the distinct non-null keys the sandbox's referencing rows
 * hold and its referenced table lacks (MATCH SIMPLE checks only keys without nulls; MATCH FULL
 * rows with some nulls cannot exist in the source); then per referenced table one COPY of the
 * source's rows with any of those keys. One query per table, the keys of all its foreign keys
 * OR-ed, so a row two keys need (by its id and by its code) arrives once.
 */
async function closeOverForeignKeys(reader: pg.ClientBase, sandbox: pg.ClientBase, keys: SampleForeignKey[], report: (p: SampleProgress) => void): Promise<void> {
  for (let round = 1; ; round++) {
    const wanted = new Map<number, { table: SampleTable; needs: { key: SampleForeignKey; values: string[][] }[] }>();
    for (const key of keys) {
      const values = await missingKeys(sandbox, key);
      if (values.length === 0) continue;
      const entry = wanted.get(key.parent.oid) ?? { table: key.parent, needs: [] };
      entry.needs.push({ key, values });
      wanted.set(key.parent.oid, entry);
    }
    let added = 0;
    for (const { table, needs } of wanted.values()) added += await fetchParents(reader, sandbox, table, needs);
    report({ phase: 'closure', done: round, total: round });
    // Nothing added: every key is satisfied, or the source itself lacks the rows (a NOT VALID key).
    if (added === 0) return;
  }
}

async function missingKeys(sandbox: pg.ClientBase, key: SampleForeignKey): Promise<string[][]> {
  const child = key.childColumns.map((c) => `c.${quoteIdent(c)}`);
  const parent = key.parentColumns.map((c) => `p.${quoteIdent(c)}`);
  const result = await sandbox.query<string[]>({
    text: `select distinct ${child.map((c) => `${c}::text`).join(', ')} from ${rowsSql(key.child)} c
            where ${child.map((c) => `${c} is not null`).join(' and ')}
              and not exists (select from ${rowsSql(key.parent)} p where ${parent.map((p, i) => `${p} = ${child[i]}`).join(' and ')})`,
    rowMode: 'array',
  });
  return result.rows;
}

/**
 * COPY takes no bind parameters, so the keys travel as a JSON setting of the source's transaction
 * (set_config with a bind parameter, local to the transaction, harmless on a standby) that the
 * COPY's query reads back, each value cast from its text to the referenced column's type.
 */
async function fetchParents(reader: pg.ClientBase, sandbox: pg.ClientBase, table: SampleTable, needs: { key: SampleForeignKey; values: string[][] }[]): Promise<number> {
  const conditions: string[] = [];
  for (const [i, { key, values }] of needs.entries()) {
    const setting = `optischema_sample.keys_${i}`;
    await reader.query('select set_config($1, $2, true)', [setting, JSON.stringify(values)]);
    const columns = key.parentColumns.map((c) => `p.${quoteIdent(c)}`).join(', ');
    const casts = key.parentTypes.map((type, j) => `(e->>${j})::${type}`).join(', ');
    conditions.push(`(${columns}) in (select ${casts} from json_array_elements(current_setting('${setting}')::json) e)`);
  }
  const query = `select ${table.columns.map((c) => `p.${quoteIdent(c)}`).join(', ')} from ${rowsSql(table)} p where ${conditions.join(' or ')}`;
  return copyBetween(reader, query, sandbox, `${tableSql(table)} ${columnListSql(table)}`);
}

async function rowCounts(sandbox: pg.ClientBase, tables: SampleTable[]): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of tables.filter((t) => t.kind === 'r')) {
    const result = await sandbox.query<{ n: number }>(`select count(*)::int as n from only ${tableSql(table)}`);
    rows[`${table.schema}.${table.name}`] = result.rows[0]?.n ?? 0;
  }
  return rows;
}

function columnsSql(table: SampleTable): string {
  return table.columns.map(quoteIdent).join(', ');
}
