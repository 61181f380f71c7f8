import { describe, expect, it } from 'vitest';
import { offsetOf, PAGE_SIZE, pageInfo } from '../../../ui/src/pages/audit/audit-pagination.ts';

describe('audit pagination', () => {
  it('reads 50 entries a page', () => {
    expect(PAGE_SIZE).toBe(50);
    expect(offsetOf(undefined)).toBe(0);
    expect(offsetOf(1)).toBe(0);
    expect(offsetOf(3)).toBe(100);
  });

  it('places a middle page', () => {
    expect(pageInfo(2, 312)).toEqual({
      page: 2,
      pages: 7,
      offset: 50,
      pastEnd: false,
      previous: 1,
      next: 3,
      label: 'page 2 of 7',
      range: '51–100 of 312 entries',
    });
  });

  it('has no previous on the first page and no next on the last', () => {
    expect(pageInfo(undefined, 312)).toMatchObject({ page: 1, previous: null, next: 2, range: '1–50 of 312 entries' });
    expect(pageInfo(7, 312)).toMatchObject({ label: 'page 7 of 7', previous: 6, next: null, range: '301–312 of 312 entries' });
  });

  it('counts a full last page as one page, not one more', () => {
    expect(pageInfo(1, 300).pages).toBe(6);
    expect(pageInfo(1, 301).pages).toBe(7);
    expect(pageInfo(1, 50)).toMatchObject({ pages: 1, next: null });
  });

  it('calls an empty log one page', () => {
    expect(pageInfo(1, 0)).toMatchObject({ label: 'page 1 of 1', previous: null, next: null, pastEnd: false, range: '0 entries' });
  });

  it('notices a page past the end (an old link, or a narrower filter) and goes back to the last', () => {
    const info = pageInfo(9, 312);
    expect(info).toMatchObject({ pastEnd: true, previous: 7, next: null, label: 'page 9 of 7' });
    expect(offsetOf(9)).toBe(400);
  });

  it('treats odd requests as the first page', () => {
    expect(pageInfo(0, 312).page).toBe(1);
    expect(pageInfo(-3, 312).page).toBe(1);
    expect(pageInfo(2.7, 312).page).toBe(2);
    expect(pageInfo(Number.NaN, 312).page).toBe(1);
  });
});
