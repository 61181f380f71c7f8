import type { RiskLevel } from './recommendation-kind.ts';

/** A risk level as a labelled chip (the colour repeats the word); "–" when none was assessed. */
export function RiskBadge({ risk }: { risk: RiskLevel | null }) {
  if (!risk) return <span className="muted" data-testid="risk">–</span>;
  return (
    <span className={`risk risk-${risk}`} data-testid="risk">
      {risk}
    </span>
  );
}
