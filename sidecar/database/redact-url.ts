/**
 * Query parameters of a connection URL that carry a secret: node-postgres (pg-connection-string)
 * and libpq read `?password=` like the password in the user part, and `sslpassword` unlocks the
 * client key. Matched case-insensitively, so no spelling slips through.
 */
const SECRET_PARAMS = new Set(['password', 'sslpassword']);
const MASK = '***';

/**
 * The URL with its password, `?password=` and `?sslpassword=` replaced, for messages and logs.
 *
 * @example
 * redactUrl('postgres://app:s3cret@db/shop?sslmode=require&password=s3cret')
 * // 'postgres://app:***@db/shop?sslmode=require&password=***'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, MASK);
    }
    return parsed.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}

/**
 * `text` with every secret of `url` masked wherever it appears (a driver's error may quote it),
 * both as written in the URL and percent-decoded.
 */
export function maskUrlSecrets(text: string, url: string | undefined): string {
  let masked = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of secretsOf(url).sort((a, b) => b.length - a.length)) masked = masked.split(secret).join(MASK);
  return masked;
}

function secretsOf(url: string | undefined): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const secrets = new Set<string>();
  const add = (raw: string, decoded: string) => {
    if (raw) secrets.add(raw);
    if (decoded) secrets.add(decoded);
  };
  add(parsed.password, safeDecode(parsed.password));
  // searchParams decodes; the raw form is read from the query text itself.
  for (const pair of parsed.search.slice(1).split('&')) {
    const [name = '', raw = ''] = pair.split('=', 2);
    if (SECRET_PARAMS.has(safeDecode(name).toLowerCase())) add(raw, safeDecode(raw.replace(/\+/g, ' ')));
  }
  return [...secrets];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
