import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiDatabase, startApi, type ApiDatabase } from './support.ts';

let db: ApiDatabase;
beforeAll(async () => {
  db = await createApiDatabase();
});
afterAll(async () => {
  await db?.close();
});

test('Ruru is served at /graphiql in development only', async () => {
  for (const dev of [true, false]) {
    const api = await startApi(db, { dev });
    try {
      const page = await fetch(`${api.url}/graphiql`, { headers: { accept: 'text/html' } });
      const onGraphql = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
      const body = await page.text();
      if (dev) {
        expect(page.status).toBe(200);
        expect(body).toMatch(/ruru/i);
      } else {
        expect(body).not.toMatch(/ruru/i);
        expect(page.status).not.toBe(200);
        expect(await onGraphql.text()).not.toMatch(/ruru/i);
        expect(onGraphql.status).not.toBe(200);
      }
    } finally {
      await api.close();
    }
  }
});
