import { describe, expect, it } from 'vitest';
import { readStatement, splitStatements, StatementTextError, typedParametersAsCasts } from '../../plv8/engine/statement-text.ts';

describe('readStatement: the lexical check that travels with the engine into plv8', () => {
  it('reads one statement, without its trailing semicolon and comments around it', () => {
    expect(readStatement('  -- the top customers\nselect * from t where id = 1; -- done\n')).toEqual({
      text: '-- the top customers\nselect * from t where id = 1',
      hasParameters: false,
      firstKeyword: 'select',
    });
  });

  it('refuses two statements, however the second hides', () => {
    for (const text of ['select 1; drop table t', 'select 1;drop table t;', "select ';' ; delete from t", 'select 1 /* ; */; select 2']) {
      expect(() => readStatement(text), text).toThrow(/2 statements/);
    }
  });

  it('does not split inside literals, quoted identifiers, dollar quotes or nested comments', () => {
    const texts = [
      "select 'a;b', E'c\\';d' from t",
      'select "semi;colon" from t',
      'select $$;$$, $tag$ ; $$ ; $tag$ from t',
      'select 1 /* outer /* inner ; */ still ; */ from t',
      "select 'it''s; fine'",
    ];
    for (const text of texts) expect(splitStatements(text), text).toHaveLength(1);
  });

  it('refuses a second statement hidden by a lexer that is not PostgreSQL\'s (issue 9, finding 4)', () => {
    const texts = [
      'select 1 -- a comment ends at a carriage return\r; drop table x', // not only at \n
      'select 1 as a$$$; drop table x; select 1 as b$$', // a$$$ is a name, not a name and a dollar quote
      "select E'a'\n'\\''; drop table x; --'", // the continued E'' string keeps its backslash escape
      "select E'a' -- c\n'\\''; drop table x; --'", // also after a -- comment
    ];
    for (const text of texts) expect(() => readStatement(text), JSON.stringify(text)).toThrow(/statements/);
  });

  it('reads `$` as scan.l does: inside names, after a parameter or a number it may open a dollar quote', () => {
    expect(splitStatements('select price$1, a$$b$$ from t')).toEqual([{ text: 'select price$1, a$$b$$ from t', hasParameters: false, firstKeyword: 'select' }]);
    // {param} is $ and digits only, and no number takes in a `$`: the dollar quote that follows hides the `;`
    expect(splitStatements('select $1$$;$$')).toHaveLength(1);
    expect(splitStatements('select 1e5$$;$$')).toHaveLength(1);
    expect(splitStatements('select 1e$$; select 2')).toHaveLength(2); // 1 and the name e$$, as PostgreSQL before 15 reads it
    expect(splitStatements('select $ab ; select 2')).toHaveLength(2); // a lone $ opens nothing
  });

  it('takes its first keyword from the first token, folding only ASCII letters', () => {
    expect(() => readStatement('select_x from t')).toThrow(/not SELECT_X/);
    expect(() => readStatement('"select" 1')).toThrow(/not this text/);
    expect(readStatement('/* hint */ SeLeCt 1').firstKeyword).toBe('select');
    expect(() => readStatement('\u00a0select 1')).toThrow(StatementTextError); // PostgreSQL reads U+00A0 as a name character
  });

  it('finds $n parameters outside literals only', () => {
    expect(readStatement('select * from t where a = $1 and b = $12').hasParameters).toBe(true);
    expect(readStatement("select '$1', $$ $2 $$, \"$3\" from t").hasParameters).toBe(false);
    expect(readStatement('select price$1 from t').hasParameters).toBe(false);
  });

  it('accepts only statements EXPLAIN plans without running them', () => {
    for (const text of ['select 1', 'WITH x AS (select 1) select * from x', 'values (1)', 'table t', 'insert into t values (1)', 'update t set a = 1', 'delete from t', '(select 1)']) {
      expect(() => readStatement(text), text).not.toThrow();
    }
    for (const text of ['drop table t', 'vacuum t', 'explain analyze select 1', 'create table x as select 1', 'copy t to stdout']) {
      expect(() => readStatement(text), text).toThrow(StatementTextError);
    }
  });

  it('reports empty and unterminated texts as errors', () => {
    expect(() => readStatement(' ; -- nothing\n')).toThrow(/empty/);
    expect(() => readStatement("select 'open")).toThrow(/unterminated string/);
    expect(() => readStatement('select $a$ open')).toThrow(/unterminated dollar/);
    expect(() => readStatement('select /* open')).toThrow(/unterminated/);
    expect(() => readStatement('select 1 /* a /* b */')).toThrow(/unterminated/);
    expect(() => readStatement('select 1\0; drop table t')).toThrow(/NUL/);
  });
});

describe('typedParametersAsCasts: typed literals as pg_stat_statements stores them', () => {
  it('turns `type $n` into `$n::type` for the date and time types', () => {
    expect(typedParametersAsCasts('select * from t where at > now() - interval $1 and d = date $2 and ts < timestamp with time zone $3')).toBe(
      'select * from t where at > now() - $1::interval and d = $2::date and ts < $3::timestamp with time zone',
    );
    expect(typedParametersAsCasts("insert into t select timestamptz $6 + g * interval $7 from generate_series($8, $9) g")).toBe(
      'insert into t select $6::timestamptz + g * $7::interval from generate_series($8, $9) g',
    );
  });

  it('rewrites whole words only: a name that ends in a type name through `$` stays as it is', () => {
    const text = 'select my$date $1, interval$1, date $1a from t';
    expect(typedParametersAsCasts(text)).toBe(text);
    expect(typedParametersAsCasts('select TIME  WITHOUT TIME ZONE $1')).toBe('select $1::TIME WITHOUT TIME ZONE');
  });

  it('rewrites the typed literals of numbers and other common types, and interval fields stay as the typmod', () => {
    expect(typedParametersAsCasts('select * from t where x > numeric $1 and y = uuid $2 and d < now() - interval $3 day')).toBe(
      'select * from t where x > $1::numeric and y = $2::uuid and d < now() - $3::interval day',
    );
  });

  it('leaves literals, comments, quoted names and other types alone', () => {
    const text = `select 'interval $1', "date $2", $$ time $3 $$ /* interval $4 */ from t where x = point $5 -- date $6\n`;
    expect(typedParametersAsCasts(text)).toBe(text);
  });
});
