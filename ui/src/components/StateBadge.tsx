/** A recommendation's state as a labelled chip (the colour repeats the word, never replaces it). */
export function StateBadge({ state }: { state: string | null | undefined }) {
  const s = state ?? 'unknown';
  return (
    <span className={`state state-${s}`} data-testid="state">
      {s.replace('_', ' ')}
    </span>
  );
}
