import { randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { optischemaHome } from '../home-dir.ts';

export interface KeySource {
  /** Environment variable that holds the key (base64 or hex, 32 bytes). */
  env: string;
  /** File in OptiSchema's home folder, created with a random key (mode 0600) when neither exists. */
  file: string;
}

export const SECRET_KEY: KeySource = { env: 'OPTISCHEMA_SECRET_KEY', file: 'secret.key' };
export const TOKEN_KEY: KeySource = { env: 'OPTISCHEMA_TOKEN_KEY', file: 'token.key' };

/**
 * A 32-byte key from the environment, else from a file OptiSchema created earlier, else a new one
 * written to that file. Teams set the variables (the same on every sidecar); a laptop gets files.
 */
export async function loadKey(source: KeySource, env: NodeJS.ProcessEnv = process.env, dir = optischemaHome(env)): Promise<Buffer> {
  const fromEnv = env[source.env];
  if (fromEnv) return decodeKey(fromEnv, source.env);
  const file = path.resolve(dir, source.file);
  try {
    return await readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o711 });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process just wrote.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return readKeyFile(file);
}

/**
 * Reads a key file only if nobody else could have read or replaced it, as ssh does with private
 * keys: a key others can read is no longer secret, and fixing the mode silently would hide that it
 * may have leaked. The mode is read from the open file, so a swap between check and read cannot pass.
 */
async function readKeyFile(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const stats = await handle.stat();
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) {
      throw new UserError(`${file} belongs to another user (uid ${stats.uid}); OptiSchema only reads keys of its own user (uid ${uid}) or root`);
    }
    const mode = stats.mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new UserError(
        `permissions ${mode.toString(8).padStart(4, '0')} on ${file} are too open: other users may read or replace the key. ` +
          `Run \`chmod 600 ${file}\`, and if others could read it, replace the key (stored secrets must then be added again)`,
      );
    }
    return decodeKey(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new UserError(`${where} must hold a 32-byte key as base64 or hex (e.g. openssl rand -base64 32)`);
  return key;
}
