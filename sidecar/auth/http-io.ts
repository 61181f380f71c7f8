import type http from 'node:http';
import { isIP } from 'node:net';
import type { z } from 'zod';

/** Small HTTP helpers for the auth routes: JSON in (size-limited, validated), JSON out, client address. */
export const MAX_BODY_BYTES = 16 * 1024;

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads and validates a JSON body; throws HttpError 413 (too large), 415 or 400 (one message). */
export async function readJson<T>(request: http.IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'send the body as application/json');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, `${where}${issue.message}`);
  }
  return parsed.data;
}


/**
 * The client's address: the socket's peer, or, behind a trusted reverse proxy, the address that
 * proxy appended to X-Forwarded-For (the last entry: earlier ones are whatever the client sent).
 */
export function clientAddressOf(request: http.IncomingMessage, trustProxy: boolean): string | null {
  let address = request.socket.remoteAddress ?? null;
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) address = last;
  }
  // The audit log's column is inet: anything that is not an IP address is recorded as unknown.
  return address && isIP(address) ? address : null;
}
