import { expect, test } from 'vitest';
import { SecretRefAllowlist } from '../../sidecar/secrets/secret-ref-allowlist.ts';

const acme = { id: '6f1c7a52-3c1e-4a5e-9d1b-0c2f4e6a8b10', slug: 'acme' };
const globex = { id: '0b7e8d21-5f4a-4c3b-8e2d-1a9c7f6e5d40', slug: 'globex' };

test('nothing is allowed without the setting', () => {
  const list = new SecretRefAllowlist(undefined);
  expect(list.allows('env:DATABASE_URL', acme)).toBe(false);
  expect(() => list.check('file:/etc/passwd', acme)).toThrow(/OPTISCHEMA_TARGET_SECRET_REFS/);
});

test('exact references, for every tenant or scoped by slug or tenant id', () => {
  const list = new SecretRefAllowlist(` env:SHOP_URL , acme=file:/run/secrets/acme=db ,${globex.id}=env:GLOBEX_URL,,`);
  expect(list.allows('env:SHOP_URL', acme)).toBe(true);
  expect(list.allows('env:SHOP_URL', globex)).toBe(true);
  // A path may hold '=': only a slug or id before the first '=' scopes.
  expect(list.allows('file:/run/secrets/acme=db', acme)).toBe(true);
  expect(list.allows('file:/run/secrets/acme=db', globex)).toBe(false);
  expect(list.allows('env:GLOBEX_URL', globex)).toBe(true);
  expect(list.allows('env:GLOBEX_URL', { id: globex.id })).toBe(true);
  expect(list.allows('env:GLOBEX_URL', acme)).toBe(false);
  // Exact: no prefix or case games.
  expect(list.allows('env:SHOP', acme)).toBe(false);
  expect(list.allows('env:shop_url', acme)).toBe(false);
  expect(list.allows('file:/run/secrets/acme=db/../../etc/passwd', acme)).toBe(false);
});

test('a malformed entry stops the server with a message naming the setting', () => {
  expect(() => new SecretRefAllowlist('env:OK,postgres://u:p@h/d')).toThrow(/OPTISCHEMA_TARGET_SECRET_REFS lists "postgres:\/\/u:p@h\/d"/);
  expect(() => new SecretRefAllowlist('file:relative/path')).toThrow(/not env:NAME or file:\/absolute\/path/);
});
