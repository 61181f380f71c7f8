/**
 * The `clone` strategy for any source (issue 11 §1): a new sandbox database filled by pg_dump and
 * pg_restore, on the source's server or another one. Unlike CREATE DATABASE … TEMPLATE it reads the
 * source through an ordinary session, so a busy production database can be copied; it takes as
 * long as the data takes to move, and it brings no statistics, so the copy is analyzed afterwards.
 *
 * jobs = 1: `pg_dump --format=custom` piped straight into `pg_restore` (no temp file, so no disk
 * the size of the database). jobs > 1: a directory-format dump in a temp dir, dumped and restored
 * with that many parallel sessions, the dir removed afterwards (pg_restore can only run in
 * parallel from a seekable archive, never from a pipe).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { maskUrlSecrets } from '../database/redact-url.ts';
import { program, type PgBinaries } from '../embedded/binaries.ts';
import { analyzeDatabase } from './analyze-database.ts';
import { countDumpedTables, dumpCreatesPublic, selectionArgs, type SchemaSelection } from './dump-selection.ts';
import { failureOf, startProgram, type ProgramExit, type RunningProgram } from './pg-program.ts';
import { createSandboxDatabase, databaseNameOf, dropSandboxAfterFailure, withClient } from './sandbox-database.ts';

export interface CloneProgress {
  /** dump and restore run at once when piped (jobs = 1), one after the other with jobs > 1. */
  phase: 'dump' | 'restore' | 'analyze';
  /** Tables whose data the phase has handled so far. */
  done: number;
  /** Tables with data to handle, counted in the source's catalog before the dump. */
  total: number;
}

export interface CloneByDumpOptions extends SchemaSelection {
  /** The source database (read only, through one ordinary session per job). */
  sourceUrl: string;
  /** Any database on the server that receives the copy, as a role that may CREATE DATABASE. */
  serverUrl: string;
  binaries: PgBinaries;
  /** Parallel sessions for dump and restore; 1 (default) streams through a pipe instead. */
  jobs?: number;
  /**
   * Keep owners, privileges and tablespaces: only when the destination is the source's own
   * cluster (default false: roles and tablespaces of another server may not exist).
   */
  keepOwners?: boolean;
  onProgress?: (progress: CloneProgress) => void;
  /** Ends the copy early (a sidecar shutting down): the programs are stopped, the copy dropped. */
  signal?: AbortSignal;
}

export interface DumpClone {
  /** The new sandbox database, on the server of serverUrl. */
  database: string;
  /** Wall-clock time of the whole clone, analyze included, measured here. */
  ms: number;
  /** Size of the archive that moved: bytes through the pipe, or of the directory dump. */
  bytes: number;
}

/**
 * Copies the source into a new `optischema_sandbox_<source>_<hex>` database and analyzes it. On any
 * failure the half-made database is dropped and one Error says why (the programs' last stderr
 * lines, passwords masked).
 *
 * @example
 *   const { database } = await cloneByDump({ sourceUrl, serverUrl, binaries: await findPgBinaries(),
 *     excludeSchemas: ['optischema', 'optischema_api', 'graphile_worker'] });
 */
export async function cloneByDump(options: CloneByDumpOptions): Promise<DumpClone> {
  const started = performance.now();
  const jobs = options.jobs ?? 1;
  const mask = (text: string) => maskUrlSecrets(maskUrlSecrets(text, options.sourceUrl), options.serverUrl);
  const source = databaseNameOf(options.sourceUrl);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a whole number of at least 1, not ${jobs}`);
  let created: { name: string; url: string } | null = null;
  try {
    const [total, selection] = await withClient(options.sourceUrl, async (client) => [
      await countDumpedTables(client, options),
      await selectionArgs(client, options),
    ] as const);
    created = await createSandboxDatabase(options.sourceUrl, options.serverUrl);
    if (dumpCreatesPublic(selection)) await withClient(created.url, (sandbox) => sandbox.query('drop schema public'));
    const run: CopyRun = { ...options, sandboxUrl: created.url, total, jobs, selection };
    const bytes = jobs === 1 ? await pipeDumpToRestore(run) : await dumpToDirectoryThenRestore(run);
    await withClient(created.url, (sandbox) =>
      analyzeDatabase(sandbox, (done, tables) => options.onProgress?.({ phase: 'analyze', done, total: tables })), options.signal,
    );
    return { database: created.name, ms: performance.now() - started, bytes };
  } catch (error) {
    const dropNote = created ? await dropSandboxAfterFailure(options.serverUrl, created.name) : null;
    const reason = mask(error instanceof Error ? error.message : String(error));
    throw new Error(`could not clone ${source} with pg_dump/pg_restore: ${reason}${dropNote ? `; ${dropNote}` : ''}`, { cause: error });
  }
}

interface CopyRun extends CloneByDumpOptions {
  sandboxUrl: string;
  total: number;
  jobs: number;
  /** pg_dump's -n/-e arguments. */
  selection: string[];
}

/** The streaming path: pg_dump's archive goes through this process into pg_restore, counted on the way. */
async function pipeDumpToRestore(run: CopyRun): Promise<number> {
  const dumpProgress = progressOf(run, 'dump');
  const restoreProgress = progressOf(run, 'restore');
  const dump = startProgram(program(run.binaries, 'pg_dump'), ['--format=custom', '--verbose', ...run.selection], run.sourceUrl, {
    stdout: true,
    onLine: dumpProgress.onLine,
    signal: run.signal,
  });
  const restore = startProgram(restorePath(run.binaries), restoreArgs(run), run.sandboxUrl, {
    stdin: true,
    onLine: restoreProgress.onLine,
    signal: run.signal,
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // When pg_restore stops reading, the pipeline fails and ends pg_dump's stdout, so pg_dump stops too.
  const piped = pipeline(dump.child.stdout!, counter, restore.child.stdin!).then(
    () => null,
    (error: Error) => error,
  );
  const [dumped, restored, pipeError] = await Promise.all([dump.exited, restore.exited, piped]);
  throwOnFailure([dump, dumped], [restore, restored]);
  if (pipeError) throw new Error(`the pipe from pg_dump to pg_restore broke: ${pipeError.message}`);
  dumpProgress.finish();
  restoreProgress.finish();
  return bytes;
}

/** The parallel path: a directory-format archive in a temp dir, removed whatever happens. */
async function dumpToDirectoryThenRestore(run: CopyRun): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'optischema-dump-'));
  const archive = path.join(dir, 'archive');
  try {
    const dumpProgress = progressOf(run, 'dump');
    const dump = startProgram(
      program(run.binaries, 'pg_dump'),
      ['--format=directory', `--jobs=${run.jobs}`, `--file=${archive}`, '--verbose', ...run.selection],
      run.sourceUrl,
      { onLine: dumpProgress.onLine, signal: run.signal },
    );
    throwOnFailure([dump, await dump.exited]);
    dumpProgress.finish();
    const bytes = await directorySize(archive);
    const restoreProgress = progressOf(run, 'restore');
    const restore = startProgram(restorePath(run.binaries), [...restoreArgs(run), `--jobs=${run.jobs}`, archive], run.sandboxUrl, {
      onLine: restoreProgress.onLine,
      signal: run.signal,
    });
    throwOnFailure([restore, await restore.exited]);
    restoreProgress.finish();
    return bytes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function restorePath(binaries: PgBinaries): string {
  return path.join(binaries.bindir, 'pg_restore');
}

function restoreArgs(run: CopyRun): string[] {
  return [
    '--verbose',
    // Stop at the first error: a copy missing a table or an index would measure the wrong thing.
    '--exit-on-error',
    // A restored subscription would connect to its publisher: a sandbox never replicates.
    '--no-subscriptions',
    ...(run.keepOwners ? [] : ['--no-owner', '--no-privileges', '--no-tablespaces']),
  ];
}

/**
 * Counts the tables whose data a program has handled, from its --verbose lines: pg_dump says
 * `dumping contents of table "s.t"`, pg_restore `processing data for table "s.t"` (serial) or
 * `finished item N TABLE DATA s t` (parallel, where the leader reports each worker's item).
 * `finish` is the phase's last report, once its program succeeded.
 */
function progressOf(run: CopyRun, phase: 'dump' | 'restore'): { onLine: (line: string) => void; finish: () => void } {
  const pattern =
    phase === 'dump'
      ? /: dumping contents of table (.+)$/
      : run.jobs === 1
        ? /: processing data for table (.+)$/
        : /: finished item \d+ TABLE DATA (.+)$/;
  const seen = new Set<string>();
  // The catalog was counted before the dump: a table created since may make done pass it.
  const total = () => Math.max(run.total, seen.size);
  run.onProgress?.({ phase, done: 0, total: run.total });
  return {
    onLine: (line) => {
      const match = pattern.exec(line);
      if (!match || seen.has(match[1]!)) return;
      seen.add(match[1]!);
      run.onProgress?.({ phase, done: seen.size, total: total() });
    },
    // A table dropped since the count never shows up: success means every table there was is done.
    finish: () => run.onProgress?.({ phase, done: total(), total: total() }),
  };
}

function throwOnFailure(...programs: [RunningProgram, ProgramExit][]): void {
  const failures = programs.map(([running, exit]) => ({ exit, text: failureOf(running, exit) })).filter((f) => f.text !== null);
  if (failures.length === 0) return;
  // A program ended because its partner stopped reading (SIGPIPE) is a consequence: the cause goes first.
  failures.sort((a, b) => Number(a.exit.signal === 'SIGPIPE') - Number(b.exit.signal === 'SIGPIPE'));
  throw new Error(failures.map((f) => f.text).join(' | '));
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    total += entry.isDirectory() ? await directorySize(file) : (await stat(file)).size;
  }
  return total;
}
