import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';

export const KEYS_DIR = '.optischema';

export interface KeySource {
  /** Environment variable that holds the key (base64 or hex, 32 bytes). */
  env: string;
  /** File under the keys folder, created with a random key (mode 0600) when neither exists. */
  file: string;
}

export const SECRET_KEY: KeySource = { env: 'OPTISCHEMA_SECRET_KEY', file: 'secret.key' };
export const TOKEN_KEY: KeySource = { env: 'OPTISCHEMA_TOKEN_KEY', file: 'token.key' };

/**
 * A 32-byte key from the environment, else from a file OptiSchema created earlier, else a new one
 * written to that file. Teams set the variables (the same on every sidecar); a laptop gets files.
 */
export async function loadKey(source: KeySource, env: NodeJS.ProcessEnv = process.env, dir = KEYS_DIR): Promise<Buffer> {
  const fromEnv = env[source.env];
  if (fromEnv) return decodeKey(fromEnv, source.env);
  const file = path.resolve(dir, source.file);
  try {
    return decodeKey(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o711 });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process just wrote.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return decodeKey(await readFile(file, 'utf8'), file);
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new UserError(`${where} must hold a 32-byte key as base64 or hex (e.g. openssl rand -base64 32)`);
  return key;
}
