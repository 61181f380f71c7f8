import { expect, it } from 'vitest';
import { checkTarget } from '../../sidecar/api/target-check.ts';
import { statusLine } from '../../sidecar/collector/collection-errors.ts';
import { connectionError, redactUrl } from '../../sidecar/database/connection.ts';
import { freePort } from '../../sidecar/net/ports.ts';

it('masks the password in the user part and in ?password= / ?sslpassword=, in any case, and keeps the rest', () => {
  expect(redactUrl('postgres://app:s3cret@db.example:5432/shop?sslmode=require&password=s3cret&SSLPassword=k3y')).toBe(
    'postgres://app:***@db.example:5432/shop?sslmode=require&password=***&SSLPassword=***',
  );
  expect(redactUrl('postgres://app@db.example/shop?Password=hunter2')).toBe('postgres://app@db.example/shop?Password=***');
  expect(redactUrl('postgres://app@db.example/shop?application_name=x')).toBe('postgres://app@db.example/shop?application_name=x');
});

it('masks a ?password= wherever a message quotes it, written or percent-decoded', () => {
  const url = 'postgres://app@db.example/shop?password=p%40ss+word&sslpassword=k3y';
  expect(statusLine(`bad URL ${url}: password p@ss word, key k3y`, url)).toBe('bad URL postgres://app@db.example/shop?password=***&sslpassword=***: password ***, key ***');
  expect(connectionError(new Error('no pg_hba.conf entry (password p@ss word)'), url).message).toBe(
    'cannot connect to postgres://app@db.example/shop?password=***&sslpassword=***: no pg_hba.conf entry (password ***)',
  );
});

it('stores no ?password= in a target check that cannot connect (targets.last_check)', async () => {
  const port = await freePort();
  const result = await checkTarget(`postgres://app@127.0.0.1:${port}/shop?password=hunter2&sslpassword=k3y`);
  expect(result.reachable).toBe(false);
  expect(result.error).toBe(`cannot connect to postgres://app@127.0.0.1:${port}/shop?password=***&sslpassword=***: connection refused (is PostgreSQL running there?)`);
  expect(JSON.stringify(result)).not.toMatch(/hunter2|k3y/);
});
