import { chmod, chown, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKey, SECRET_KEY } from '../../sidecar/secrets/key-files.ts';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';

describe('secret box', () => {
  it('seals so that the plaintext is not in the stored bytes, and opens with the same key only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-keys-'));
    const box = new SecretBox(await loadKey(SECRET_KEY, {}, dir));
    const secret = 'postgres://app:hunter2@db.internal:5432/shop';
    const sealed = box.seal(secret);
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(box.seal(secret).equals(sealed)).toBe(false);
    expect(box.open(sealed)).toBe(secret);
    const other = new SecretBox(Buffer.alloc(32, 7));
    expect(() => other.open(sealed)).toThrow(/not the key it was sealed with/);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open(tampered)).toThrow(/cannot be decrypted/);
  });

  it('keeps a generated key in a 0600 file and reuses it; the environment wins', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-keys-'));
    const first = await loadKey(SECRET_KEY, {}, dir);
    expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await loadKey(SECRET_KEY, {}, dir)).equals(first)).toBe(true);
    const fromEnv = await loadKey(SECRET_KEY, { OPTISCHEMA_SECRET_KEY: 'ab'.repeat(32) }, dir);
    expect(fromEnv.equals(Buffer.alloc(32, 0xab))).toBe(true);
    await writeFile(path.join(dir, 'secret.key'), 'short');
    await expect(loadKey(SECRET_KEY, {}, dir)).rejects.toThrow(/must hold a 32-byte key/);
    expect(await readFile(path.join(dir, 'secret.key'), 'utf8')).toBe('short');
  });

  it('refuses a key file that others can read or write, naming the chmod to run, and reads it once fixed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-keys-'));
    const file = path.join(dir, 'secret.key');
    const first = await loadKey(SECRET_KEY, {}, dir);
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      await chmod(file, mode);
      await expect(loadKey(SECRET_KEY, {}, dir), mode.toString(8)).rejects.toThrow(
        `permissions 0${mode.toString(8)} on ${file} are too open: other users may read or replace the key. Run \`chmod 600 ${file}\``,
      );
    }
    // Refused, not replaced: the key that sealed the stored secrets is still there.
    await chmod(file, 0o600);
    expect((await loadKey(SECRET_KEY, {}, dir)).equals(first)).toBe(true);
    await chmod(file, 0o400);
    expect((await loadKey(SECRET_KEY, {}, dir)).equals(first)).toBe(true);
  });

  // Only root can give a file away; as anyone else this case cannot be set up.
  it.runIf(process.getuid?.() === 0)('refuses a key file that belongs to another user', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-keys-'));
    const file = path.join(dir, 'secret.key');
    await writeFile(file, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    await chown(file, 65534, 65534);
    const realGetuid = process.getuid;
    // Seen from a non-root OptiSchema: the file is neither its own nor root's.
    process.getuid = () => 1000;
    try {
      await expect(loadKey(SECRET_KEY, {}, dir)).rejects.toThrow(`${file} belongs to another user (uid 65534)`);
    } finally {
      process.getuid = realGetuid;
    }
  });
});
