import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UserError } from '../errors.ts';

/**
 * Encrypts secrets at rest (target connection strings) with AES-256-GCM in the sidecar. The key
 * comes from the environment (OPTISCHEMA_SECRET_KEY, 32 bytes as base64 or hex) and never reaches
 * the database server, its logs or an LLM; the database stores only version ‖ nonce ‖ tag ‖ ciphertext.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new UserError('the secret key must be 32 bytes (see sidecar/secrets/key-files.ts)');
    this.#key = key;
  }

  seal(plaintext: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), nonce, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): string {
    if (sealed[0] !== 1 || sealed.length < 29) throw new UserError('a stored secret is not in a format this OptiSchema can read');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new UserError('a stored secret cannot be decrypted: OPTISCHEMA_SECRET_KEY is not the key it was sealed with', { cause: error });
    }
  }
}
