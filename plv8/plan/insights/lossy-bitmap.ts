/**
 * lossy_bitmap: a Bitmap Heap Scan whose bitmap outgrew work_mem and went lossy (one bit per page
 * instead of per row): every row of a lossy page is rechecked against the condition.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { count, nodeRef, num, relationText, type VisitedNode } from './plan-tree.ts';
import type { PlanInsight } from './types.ts';
import { settingFix, workMemValue } from './work-mem.ts';

/**
 * Bytes of work_mem one exact page takes in the bitmap: tidbitmap.c sizes its page table at
 * work_mem / (sizeof(PagetableEntry) + 2 pointers), about 64 bytes on a 64-bit build, and the
 * hash table stays at most half full; 128 bytes per page is the figure used here.
 */
export const BITMAP_BYTES_PER_PAGE = 128;

export function lossyBitmap(visited: VisitedNode): PlanInsight[] {
  if (visited.nodeType !== 'Bitmap Heap Scan') return [];
  const lossy = num(visited.node, EXPLAIN.lossyHeapBlocks) ?? 0;
  if (lossy <= 0) return [];
  const exact = num(visited.node, EXPLAIN.exactHeapBlocks) ?? 0;
  const neededKb = ((exact + lossy) * BITMAP_BYTES_PER_PAGE) / 1024;
  const value = workMemValue(neededKb);
  const removed = num(visited.node, EXPLAIN.rowsRemovedByIndexRecheck) ?? null;
  return [
    {
      rule: 'lossy_bitmap',
      severity: 'warning',
      node: nodeRef(visited),
      message:
        `Bitmap Heap Scan${visited.relation ? ` on ${relationText(visited.relation)}` : ''} went lossy on ${count(lossy)} of ${count(exact + lossy)} heap pages ` +
        `(EXPLAIN ANALYZE Heap Blocks), rechecking every row on them: about ${value} of work_mem (${BITMAP_BYTES_PER_PAGE} bytes per page, rounded up) keeps the bitmap exact.`,
      evidence: { setting: 'work_mem', value, lossyHeapBlocks: lossy, exactHeapBlocks: exact, rowsRemovedByIndexRecheck: removed },
      fix: settingFix('work_mem', value, `The bitmap went lossy on ${count(lossy)} pages.`),
    },
  ];
}
