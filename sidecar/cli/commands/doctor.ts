import type { Command } from 'commander';
import { openPool, redactUrl } from '../../database/connection.ts';
import type { CheckStatus } from '../../doctor/checks.ts';
import type { DoctorReport } from '../../doctor/doctor.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print, printJson } from '../output.ts';

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', info: 'info' };

export function registerDoctor(program: Command): void {
  addDatabaseOptions(
    program.command('doctor').description('check a database for everything OptiSchema needs and print what to change'),
  )
    .option('--json', 'print the report as JSON')
    .option('--target', 'check a database OptiSchema only monitors (least privilege; see docs/security.md), not the one it lives in')
    .action(async (options: DatabaseOptions & { json?: boolean; target?: boolean }) => {
      const database = await openDatabase(options);
      try {
        const pool = await openPool(database.url, { max: 1 });
        const { runDoctor } = await import('../../doctor/doctor.ts');
        const report = await runDoctor(pool, { mode: options.target ? 'target' : 'state' }).finally(() => pool.end());
        if (options.json) printJson(report);
        else printReport(report, database.url);
        if (!report.ready) process.exitCode = 1;
      } finally {
        await database.release();
      }
    });
}

function printReport(report: DoctorReport, url: string): void {
  print(`OptiSchema doctor: ${redactUrl(url)}`);
  for (const check of report.checks) {
    print(`  ${LABEL[check.status]}  ${check.message}`);
    if (check.fix && check.status !== 'ok') print(`        fix: ${check.fix}`);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const warned = report.checks.filter((check) => check.status === 'warn').length;
  print(failed === 0 ? `Ready: OptiSchema can run here (${warned} warning${warned === 1 ? '' : 's'}).` : `Not ready: ${failed} problem${failed === 1 ? '' : 's'} to fix.`);
}
