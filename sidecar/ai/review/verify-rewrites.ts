import type pg from 'pg';
import { createTwoFilesPatch } from 'diff';
import { messageOf } from '../../errors.ts';
import { checkStatement } from '../../plans/statement-check.ts';
import { verifyRewrite, type RewriteVerification } from '../../validation/verify-rewrite.ts';
import { unverified, type Verification } from './proposals.ts';

/** Where rewrites are verified: a session on the target's sandbox, or why there is none. */
export type SandboxAccess = { run<T>(work: (sandbox: pg.ClientBase) => Promise<T>): Promise<T> } | { unavailable: string };

/**
 * One rewrite checked: the text first (one provably read-only statement, the same `$n` as the
 * original), then the sandbox (same results on its data and on generated edge cases, and faster:
 * sidecar/validation/verify-rewrite.ts). Without a sandbox, or without values for the `$n`, it
 * stays an unverified suggestion.
 */
export async function verifyRewriteProposal(
  sandbox: SandboxAccess,
  original: string,
  rewritten: string,
  values?: readonly (string | null)[],
): Promise<Verification> {
  let check;
  try {
    check = await checkStatement(rewritten);
  } catch (error) {
    return { state: 'rejected', reason: `not one valid statement: ${messageOf(error)}` };
  }
  if (!check.readOnly) return { state: 'rejected', reason: `a rewrite must be read-only like the statement it replaces: ${check.writeReasons.join('; ')}` };
  const originalCheck = await checkStatement(original);
  if (check.parameterCount !== originalCheck.parameterCount) {
    return { state: 'rejected', reason: `the rewrite takes ${check.parameterCount} parameter(s), the statement ${originalCheck.parameterCount}` };
  }
  if (originalCheck.parameterCount > 0 && (values === undefined || values.length !== originalCheck.parameterCount)) {
    return unverified('no parameter values are known to run the statement with on the sandbox');
  }
  if ('unavailable' in sandbox) return unverified(`no sandbox to verify it on: ${sandbox.unavailable}`);
  try {
    const result: RewriteVerification = await sandbox.run((client) => verifyRewrite(client, { original, rewritten, ...(values ? { values } : {}) }));
    return { ...result, state: result.verdict === 'verified' ? 'verified' : result.verdict === 'rejected' ? 'rejected' : 'unverified', reason: result.reason };
  } catch (error) {
    return unverified(`the sandbox could not verify it: ${messageOf(error)}`);
  }
}

/** The unified diff of a rewrite, for people. */
export function rewriteDiff(before: string, after: string): string {
  return createTwoFilesPatch('before.sql', 'after.sql', `${before.trim()}\n`, `${after.trim()}\n`, '', '', { context: 3 });
}
