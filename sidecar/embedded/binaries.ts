import { access, readdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { runCommand } from './run-command.ts';

/** PostgreSQL majors OptiSchema supports; the embedded cluster prefers the newest installed. */
export const SUPPORTED_MAJORS = [15, 16, 17] as const;
const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface PgBinaries {
  bindir: string;
  major: number;
  /** Where the server loads shared libraries (`shared_preload_libraries`) from. */
  pkglibdir: string;
  /** Where `CREATE EXTENSION` finds control files (`<sharedir>/extension`). */
  sharedir: string;
}

/** The Debian/Ubuntu packages that give a PostgreSQL major everything the embedded cluster uses. */
export function debianPackages(major: number): string[] {
  return [`postgresql-${major}`, `postgresql-${major}-hypopg`, `postgresql-${major}-pg-qualstats`];
}

export function installHint(major = 15): string {
  return `install them with: sudo apt-get install ${debianPackages(major).join(' ')} (or run scripts/setup.sh, which does it)`;
}

/**
 * Finds the server binaries: `PG_BINDIR`, then `pg_config --bindir`, then Debian's layout
 * (`/usr/lib/postgresql/<major>/bin`, newest supported major first).
 */
export async function findPgBinaries(env: NodeJS.ProcessEnv = process.env): Promise<PgBinaries> {
  const candidates: string[] = [];
  if (env.PG_BINDIR) {
    // An explicit choice is the only candidate: falling back would hide a typo.
    candidates.push(env.PG_BINDIR);
  } else {
    const fromPgConfig = await pgConfigValue('pg_config', '--bindir');
    if (fromPgConfig) candidates.push(fromPgConfig);
    candidates.push(...(await debianBindirs()));
  }
  for (const bindir of candidates) {
    if (!(await hasServerPrograms(bindir))) continue;
    const major = await serverMajor(bindir);
    if (!major) continue;
    if (!(SUPPORTED_MAJORS as readonly number[]).includes(major)) {
      if (env.PG_BINDIR) {
        throw new UserError(`PG_BINDIR=${bindir} holds PostgreSQL ${major}; OptiSchema supports ${SUPPORTED_MAJORS.join(', ')}`);
      }
      continue;
    }
    const pgConfig = path.join(bindir, 'pg_config');
    const sharedir = (await pgConfigValue(pgConfig, '--sharedir')) ?? `/usr/share/postgresql/${major}`;
    const pkglibdir = (await pgConfigValue(pgConfig, '--pkglibdir')) ?? path.join(bindir, '..', 'lib');
    return { bindir, major, sharedir, pkglibdir };
  }
  const where = env.PG_BINDIR ? `PG_BINDIR=${env.PG_BINDIR}` : `PATH (pg_config) or ${DEBIAN_ROOT}/<version>/bin`;
  throw new UserError(
    `PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in ${where}; ${installHint()}`,
  );
}

/** Whether an extension's files are installed for these binaries (control file, and library when it has one). */
export async function extensionInstalled(binaries: PgBinaries, name: string): Promise<boolean> {
  return exists(path.join(binaries.sharedir, 'extension', `${name}.control`));
}

/** Whether a library can be put in shared_preload_libraries (the server does not start when one is missing). */
export async function libraryInstalled(binaries: PgBinaries, name: string): Promise<boolean> {
  return exists(path.join(binaries.pkglibdir, `${name}.so`));
}

export function program(binaries: PgBinaries, name: 'initdb' | 'pg_ctl' | 'postgres' | 'pg_dump' | 'psql'): string {
  return path.join(binaries.bindir, name);
}

async function debianBindirs(): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(DEBIAN_ROOT);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
    .map((entry) => path.join(DEBIAN_ROOT, entry, 'bin'));
}

async function hasServerPrograms(bindir: string): Promise<boolean> {
  for (const name of ['initdb', 'pg_ctl', 'postgres']) {
    if (!(await exists(path.join(bindir, name), constants.X_OK))) return false;
  }
  return true;
}

async function serverMajor(bindir: string): Promise<number | null> {
  const result = await runCommand(path.join(bindir, 'postgres'), ['--version']).catch(() => null);
  // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  const match = result?.stdout.match(/\(PostgreSQL\)\s+(\d+)/);
  return match ? Number(match[1]) : null;
}

async function pgConfigValue(pgConfig: string, flag: string): Promise<string | null> {
  const result = await runCommand(pgConfig, [flag]).catch(() => null);
  if (!result || result.code !== 0) return null;
  return result.stdout.trim() || null;
}

async function exists(file: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(file, mode);
    return true;
  } catch {
    return false;
  }
}
