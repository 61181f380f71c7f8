import { loadModule, parseSync } from 'libpg-query';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { splitStatements, StatementTextError } from '../../plv8/engine/statement-text.ts';

/**
 * The plv8 lexer against PostgreSQL. For every text both must find the same statements, cut at the
 * same places. The first oracle is libpg-query (PostgreSQL 17's scanner and grammar), which reports
 * each statement's byte offset and length in the UTF-8 text (a last statement without `;` has no
 * length). The second is the test cluster's server itself, which runs texts of SELECTs over the
 * simple query protocol and answers with one result per statement: it settles the one case where
 * libpg-query 17.7 does not scan as the server does (a string continued on a later line after a
 * `--` comment, which the server joins and libpg-query calls a syntax error).
 */

const SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

function postgresStatements(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const { stmts } = parseSync(text) as { stmts: { stmt_location?: number; stmt_len?: number }[] };
  return stmts.map(({ stmt_location: at = 0, stmt_len: length = 0 }) =>
    bytes.subarray(at, length === 0 ? bytes.length : at + length).toString('utf8').replace(SPACE, ''),
  );
}

const ours = (text: string): string[] => splitStatements(text).map((s) => s.text);

/** Texts that fooled earlier versions, or could fool a lexer that is not scan.l; each is valid SQL. */
const CORPUS: string[] = [
  // `--` comments end at \r as well as \n
  'select 1 -- note\r; drop table x',
  'select 1 --\r\n; select 2',
  'select 1 -- a ; b\n; select 2 -- c ; d',
  'select 1 +/* ; */ 2 -- x\r+ 3; select 4',
  // identifiers go on through `$`: not a dollar quote
  'select 1 as a$$$; drop table x; select 1 as b$$',
  'select a$b$ from t; select $b$ ; $b$',
  'select t.a$1, $1 from t; select 2',
  'select 1 as x$; select 1 as y$$ ; select $$;$$',
  // nested block comments
  'select 1 /* outer /* inner ; */ still ; */; select 2',
  'select 1 /* a */; select 2 /**/; select 3 /*/ x */',
  '/* lead ; */ select 1; -- c ; \n select 2 /* ; */',
  // dollar quotes and their tags
  'select $$;$$, $tag$ ; $$ ; $tag$, $t1$x$t1$',
  'select $_t1$ ; $_t1$, $é$ ; $é$; select 2',
  'select $a$ $b$ ; $b$ ; $a$; select 2',
  'select $a$ ; $ab$ ; $A$ ; $xa$ ; $a$; select 2',
  'select $a$ $$ ; $a$; select 2',
  // standard strings: '' is the only escape, a backslash is a plain character
  "select 'it''s; fine', 'back\\slash'; select 2",
  "select '\\'; select 2 --'",
  "select 'a'\n'\\''; select 2; --'",
  // E'' strings take backslash escapes, also in a continuation on a later line
  "select E'\\';' ; select 2",
  "select e'\\\\'; select 2 --'",
  "select E'a'\n'\\''; select 2; --'",
  "select E'a'\r\n\t'\\';'; select 2",
  "select 1+e'\\''; select 2; --'",
  "select foe'\\''; select 2; --'",
  "select a$e'\\''; select 2; --'",
  // U&'' and U&"" (standard rules), B'', X'', N''
  "select U&'d\\0061t;''a'; select 2",
  'select U&"a;b" from t; select 2',
  "select b'10;', x'1F;', n'na;'; select 2",
  // quoted identifiers
  'select "semi;colon", "quo""te;" from t; select 2',
  // positional parameters, numbers
  'select * from t where a = $1 and b = $12; select $3',
  'select 1.5e10, .5, 1_000, 0x1F, 1e-3; select 2',
  // empty statements and the whitespace PostgreSQL knows
  'select 1;;; select 2;',
  'select 1;\v\f; select 2 ; -- trailing\r',
  ' ; -- nothing\n',
];

/**
 * Texts of 1 to 3 SELECTs whose items are pieces joined by gaps (comments, newlines, lone \r), cut
 * by `;` in various ways. Each piece is a whole expression, so a lexer that misreads one cuts the
 * text elsewhere than PostgreSQL. The same seed gives the same texts on every run.
 */
function randomTexts(count: number, pieces: string[], gaps: string[]): string[] {
  let seed = 9;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T,>(list: T[]): T => list[random(list.length)]!;
  return Array.from({ length: count }, () => {
    const statements = Array.from({ length: 1 + random(3) }, () => {
      const items = Array.from({ length: 1 + random(4) }, () => pick(pieces) + pick(gaps));
      return `select ${items.join(', ')}`;
    });
    return statements.join(pick([';', '; ', ';;', ';\r', pick(gaps) + ';'])) + pick(['', ';', ' -- end']);
  });
}

/** Pieces the server can run as they are (no parameters, no tables, valid bit strings). */
const RUNNABLE_PIECES = [
  '1', '1.5e3', '.5', '-1', '(1)', '1 as a$$$', '1 as b$1$', '1 as x$', "'x;y'", "'it''s;'", "'back\\'",
  "E'\\';'", "e'\\\\'", "E'a'\n'\\';'", "E'a'\r'\\';'", "'a'\r'b;'", "E'\\\\'\n''", '$$;$$', '$q$ ; $$ $q$',
  '$é$;$é$', '1 as "q;""x"', '1 as U&"u;"', "U&'u;'", "b'10'", "x'f0'", "n'n;'",
];
const GAPS = [' ', '\n', '\r', '\t', '\r\n', '\v', '\f', '/* ; */', '/* /* ; */ */', ' /*/ ; */ ', '-- ; \n', '-- ;\r'];

describe('the plv8 lexer cuts texts where libpg-query does', () => {
  beforeAll(async () => {
    await loadModule();
  });

  it.each(CORPUS.map((text) => [JSON.stringify(text), text]))('%s', (_, text) => {
    expect(ours(text)).toEqual(postgresStatements(text));
  });

  it('agrees on 400 texts made at random from tricky pieces', () => {
    const pieces = [...RUNNABLE_PIECES, '$1', '$2', 'b$1$', 'a$$$', '"q;""x"', 'U&"u;"', "b'1;0'", "x'f;'"];
    for (const text of randomTexts(400, pieces, GAPS)) {
      expect(ours(text), JSON.stringify(text)).toEqual(postgresStatements(text));
    }
  });

  it('sees more statements than PostgreSQL only in BEGIN ATOMIC bodies, whose `;` only the grammar knows', () => {
    const text = 'create function f() returns int language sql begin atomic select 1; select 2; end';
    expect(postgresStatements(text)).toHaveLength(1);
    expect(ours(text)).toHaveLength(3); // refused as three statements: safe, and not a plannable one anyway
  });

  it('refuses the texts PostgreSQL cannot scan', () => {
    for (const text of ["select 'open", "select E'\\'", 'select $a$ open $A$', 'select /* open /* */', 'select "open', "select 'a'\n'b"]) {
      expect(() => parseSync(text), text).toThrow();
      expect(() => splitStatements(text), text).toThrow(StatementTextError);
    }
  });
});

describe('the plv8 lexer cuts texts where the server does', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject('clusterUrl') });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  /** How many statements the server ran: one result each (simple protocol, read only, rolled back). */
  async function serverCount(text: string): Promise<number> {
    await client.query('begin read only');
    try {
      const result: pg.QueryResult | pg.QueryResult[] = await client.query(text);
      return Array.isArray(result) ? result.length : 1;
    } finally {
      await client.query('rollback');
    }
  }

  it('continues a string after a `--` comment and a newline, E-string escapes included (libpg-query does not)', async () => {
    const texts = [
      "select 'a' -- c ;\n 'b;'; select 2",
      "select E'a' -- c\r'\\';'; select 2",
      "select E'a' -- c\n'\\''; select 2; --'", // read as a standard string, the second quote would hide `; select 2`
      "select 'a'\n  -- c ; \n\t'b;\\'; select 2",
    ];
    for (const text of texts) {
      expect(() => parseSync(text), text).toThrow(/syntax error/);
      expect(ours(text), JSON.stringify(text)).toHaveLength(await serverCount(text));
      expect(ours(text), JSON.stringify(text)).toHaveLength(2);
    }
  });

  it('agrees on 400 texts made at random from tricky pieces, comments before continuations included', async () => {
    const pieces = [...RUNNABLE_PIECES, "E'a' -- c\n'\\';'", "'a' -- x\r'b;'", "E'a'\n\n  -- y\n'\\';'"];
    for (const text of randomTexts(400, pieces, GAPS)) {
      expect(ours(text), JSON.stringify(text)).toHaveLength(await serverCount(text));
    }
  });

  it('assumes standard_conforming_strings on: with it off, a text it reads as one statement is two', async () => {
    // '\'' is one literal holding a backslash and a quote when the setting is on (the default since
    // 9.1); off, \' is an escaped quote, the literal ends early and a second statement follows.
    // The engine therefore refuses to plan on a server where the setting is off.
    const text = "select '\\''; select 2; --'";
    expect(ours(text)).toEqual([text]);
    expect(postgresStatements(text)).toEqual([text]);
    expect(await serverCount(text)).toBe(1);
    await client.query('set standard_conforming_strings = off');
    try {
      expect(await serverCount(text)).toBe(2);
    } finally {
      await client.query('reset standard_conforming_strings');
    }
  });
});
