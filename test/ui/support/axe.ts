import axe from 'axe-core';
import { expect } from 'vitest';

/**
 * axe-core's serious and critical violations in `root`. Colour contrast needs a layout engine,
 * which jsdom does not have: it is left to the browser tests.
 */
export async function axeViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function expectAccessible(root: Element): Promise<void> {
  const serious = await axeViolations(root);
  expect(serious, serious.join('\n')).toEqual([]);
}
