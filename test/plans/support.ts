import type pg from 'pg';

/** A client that records the text of every query sent through it: proof of what reached the server. */
export function spyClient(client: pg.ClientBase): { client: pg.ClientBase; sent: string[] } {
  const sent: string[] = [];
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'query') {
        return (...args: unknown[]) => {
          const first = args[0] as string | { text: string };
          sent.push(typeof first === 'string' ? first : first.text);
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: proxy, sent };
}

/** Creates the tables the plan tests read and write: items (10 000 rows) and its audit log. */
export async function seedItems(client: pg.ClientBase): Promise<void> {
  await client.query(`
    create table public.items (id int primary key, name text not null, n int not null);
    insert into items select g, 'name' || g, g % 1000 from generate_series(1, 10000) g;
    analyze items;
  `);
}

/** count and md5 of all rows: equal before and after means nothing was written. */
export async function itemsFingerprint(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ f: string }>(
    `select count(*) || ':' || md5(string_agg(id || ',' || name || ',' || n, ';' order by id)) as f from items`,
  );
  return rows[0]!.f;
}
