import { describe, expect, it } from 'vitest';
import { attachIndexSql, childIndexName, createIndexSql, specOf } from '../../sidecar/apply/index-statements.ts';

describe('index statements', () => {
  it('keeps UNIQUE, the keys, INCLUDE and WHERE of the recommendation', () => {
    const spec = specOf('create unique index "Big_idx" on Shop."Orders" using btree (a) include (b) where (c > 0)');
    expect(spec).toEqual({ schema: 'shop', table: 'Orders', index: 'Big_idx', unique: true, rest: ' using btree (a) include (b) where (c > 0)' });
    expect(createIndexSql(spec, spec, 'concurrently')).toBe('CREATE UNIQUE INDEX CONCURRENTLY "Big_idx" ON shop."Orders" using btree (a) include (b) where (c > 0)');
    expect(createIndexSql(spec, { schema: 'shop', table: 'Orders_2024', index: 'o_idx' }, 'only')).toBe('CREATE UNIQUE INDEX IF NOT EXISTS o_idx ON ONLY shop."Orders_2024" using btree (a) include (b) where (c > 0)');
    expect(attachIndexSql({ schema: 'shop', index: 'Big_idx' }, { schema: 'archive', index: 'o_idx' })).toBe('ALTER INDEX shop."Big_idx" ATTACH PARTITION archive.o_idx');
  });

  it('names child indexes deterministically, distinctly, within 63 bytes', () => {
    const name = childIndexName('public.measurements_x_idx', 'public', 'measurements_2024');
    expect(name).toMatch(/^measurements_2024_[0-9a-f]{8}_idx$/);
    expect(childIndexName('public.measurements_x_idx', 'public', 'measurements_2024')).toBe(name);
    expect(childIndexName('public.measurements_y_idx', 'public', 'measurements_2024')).not.toBe(name);

    const long = 'ü'.repeat(40); // 80 bytes
    const a = childIndexName('public.t_idx', 'public', `${long}_a`);
    const b = childIndexName('public.t_idx', 'public', `${long}_b`);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a.startsWith('ü'.repeat(25))).toBe(true);
    expect(a).not.toBe(b);
  });
});
