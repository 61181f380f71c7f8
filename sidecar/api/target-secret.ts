import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { checkDatabaseUrl } from '../database/connection.ts';
import { UserError } from '../errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { SECRET_REF, SecretRefAllowlist, type SecretRefTenant } from '../secrets/secret-ref-allowlist.ts';

export const NewTargetInput = z
  .object({
    name: z.string().trim().min(1, 'a target needs a name').max(200, 'a target name has at most 200 characters'),
    connectionString: z.string().max(4000).nullish(),
    secretRef: z.string().regex(SECRET_REF, 'secretRef must be env:NAME or file:/absolute/path').nullish(),
  })
  .refine((input) => (input.connectionString == null) !== (input.secretRef == null), {
    message: 'give exactly one of connectionString and secretRef',
  });
export type NewTargetInput = z.infer<typeof NewTargetInput>;

/** What is stored for a target's connection: ciphertext or a reference, never the plaintext. */
export interface StoredSecret {
  secretCiphertext: Buffer | null;
  secretRef: string | null;
}

/** Whose target it is, and the operator's list of references targets may use (default: from the environment). */
export interface SecretRefScope {
  tenant: SecretRefTenant;
  allowlist?: SecretRefAllowlist;
}

/**
 * Validates a createTarget input and seals its connection string. A secretRef must be on the
 * operator's allowlist for the tenant (OPTISCHEMA_TARGET_SECRET_REFS). Throws UserError (message only, no secret).
 */
export function sealTargetSecret(raw: unknown, secretBox: SecretBox, scope: SecretRefScope): { name: string } & StoredSecret {
  const parsed = NewTargetInput.safeParse(raw);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { name, connectionString, secretRef } = parsed.data;
  if (connectionString != null) {
    checkDatabaseUrl(connectionString, 'connectionString');
    return { name, secretCiphertext: secretBox.seal(connectionString), secretRef: null };
  }
  (scope.allowlist ?? SecretRefAllowlist.fromEnv()).check(secretRef!, scope.tenant);
  return { name, secretCiphertext: null, secretRef: secretRef! };
}

/**
 * The connection string of a stored target: decrypted, or read from the environment or a file. A
 * reference is checked against the allowlist again at use, so one stored before the list existed
 * (or removed from it since) is not read.
 */
export async function resolveTargetUrl(stored: StoredSecret, secretBox: SecretBox, scope: SecretRefScope): Promise<string> {
  if (stored.secretCiphertext) return secretBox.open(stored.secretCiphertext);
  const ref = stored.secretRef ?? '';
  if (ref === '') throw new UserError('this target has no connection string');
  (scope.allowlist ?? SecretRefAllowlist.fromEnv()).check(ref, scope.tenant);
  if (ref.startsWith('env:')) {
    const value = process.env[ref.slice(4)];
    if (!value) throw new UserError(`the environment variable ${ref.slice(4)} is not set in the OptiSchema server`);
    return value.trim();
  }
  if (ref.startsWith('file:')) {
    const path = ref.slice(5);
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw new UserError(`the secret file ${path} cannot be read by the OptiSchema server`, { cause: error });
    }
  }
  throw new UserError('this target has no connection string');
}
