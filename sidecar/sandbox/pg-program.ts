/**
 * Runs PostgreSQL's client programs (pg_dump, pg_restore) against a database given by URL without
 * the password ever reaching a command line (where `ps` shows it to every user of the machine): the
 * URL goes as `--dbname` stripped of its secrets, the password as PGPASSWORD in the child's own
 * environment. What a program prints on stderr is kept (its last lines, secrets masked) for the
 * error message, and each line is offered to a listener (pg_restore's `--verbose` drives progress).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { maskUrlSecrets } from '../database/redact-url.ts';

/** How many of a program's last stderr lines an error quotes: enough for the cause, not a log. */
const TAIL_LINES = 8;
/** A `--verbose` line ("pg_restore: processing data for table …"); errors and warnings say so. */
const NARRATION = /^pg_\w+: (?!error|warning|detail|hint)/;

export interface ProgramConnection {
  /** A connection URI libpq reads, without password or sslpassword. */
  dbname: string;
  /** PGPASSWORD / PGSSLPASSWORD for the child, when the URL had them. */
  env: NodeJS.ProcessEnv;
}

/**
 * Splits a URL's secrets off into environment variables libpq reads.
 *
 * @example programConnection('postgres://app:s3cret@db/shop') // { dbname: 'postgres://app@db/shop', env: { PGPASSWORD: 's3cret' } }
 */
export function programConnection(url: string): ProgramConnection {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {};
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    const lower = name.toLowerCase();
    if (lower === 'password') env.PGPASSWORD = parsed.searchParams.get(name) ?? '';
    if (lower === 'sslpassword') env.PGSSLPASSWORD = parsed.searchParams.get(name) ?? '';
    if (lower === 'password' || lower === 'sslpassword') parsed.searchParams.delete(name);
  }
  return { dbname: parsed.toString(), env };
}

export interface ProgramExit {
  /** 0 for success; 127 when the program could not be started; 128 when a signal ended it. */
  code: number;
  signal: NodeJS.Signals | null;
  /** Its last stderr lines that are not --verbose narration, secrets masked. */
  tail: string;
}

export interface RunningProgram {
  child: ChildProcess;
  /** Resolves when the program has exited (never rejects; a failure to start is exit code 127). */
  exited: Promise<ProgramExit>;
  name: string;
}

/**
 * Starts `file` with `args`, connected to `url` (passed as `--dbname`). `onLine` sees every stderr
 * line. stdin/stdout are pipes when asked for, else ignored. `signal` ends it early.
 */
export function startProgram(
  file: string,
  args: string[],
  url: string,
  options: { stdin?: boolean; stdout?: boolean; onLine?: (line: string) => void; signal?: AbortSignal | undefined } = {},
): RunningProgram {
  const connection = programConnection(url);
  const name = file.split('/').pop() ?? file;
  const child = spawn(file, [...args, `--dbname=${connection.dbname}`], {
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ? 'pipe' : 'ignore', 'pipe'],
    env: { ...process.env, ...connection.env },
    // A sidecar shutting down ends the program (SIGTERM); the copy then fails and is dropped.
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const lines: string[] = [];
  let partial = '';
  const take = (line: string) => {
    const masked = maskUrlSecrets(line, url);
    options.onLine?.(masked);
    // --verbose narrates every step; the cause of a failure is in the other lines.
    if (NARRATION.test(masked)) return;
    lines.push(masked);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) take(line);
  });
  const exited = new Promise<ProgramExit>((resolve) => {
    let started = true;
    child.on('error', (error) => {
      started = false;
      take(`could not run ${file}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      if (partial.trim()) take(partial);
      const exitCode = !started ? 127 : (code ?? (signal ? 128 : 1));
      resolve({ code: exitCode, signal, tail: lines.join('\n') });
    });
  });
  return { child, exited, name };
}

/** The program's failure as text for an error message, or null when it exited 0. */
export function failureOf(program: RunningProgram, result: ProgramExit): string | null {
  if (result.code === 0) return null;
  const how =
    result.signal === 'SIGPIPE'
      ? 'was ended by SIGPIPE (the program reading its output had stopped)'
      : result.signal
        ? `was ended by ${result.signal}`
        : `exited with code ${result.code}`;
  return `${program.name} ${how}${result.tail ? `: ${result.tail}` : ''}`;
}
