// Placeholder while the page is written (this session).
export function RecommendationsPage() {
  return <h1>RecommendationsPage</h1>;
}
