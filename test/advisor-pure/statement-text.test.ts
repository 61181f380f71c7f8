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

  it('leaves literals, comments, quoted names and other types alone', () => {
    const text = `select 'interval $1', "date $2", $$ time $3 $$ /* interval $4 */ from t where x = numeric $5 -- date $6\n`;
    expect(typedParametersAsCasts(text)).toBe(text);
  });
});
