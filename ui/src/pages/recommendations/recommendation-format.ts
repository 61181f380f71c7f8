/** A planner cost (arbitrary units): two decimals when small, whole otherwise. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '–';
  return cost >= 100 ? Math.round(cost).toLocaleString('en-US') : cost.toFixed(2);
}
