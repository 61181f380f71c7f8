// Placeholder while the page is written (this session).
export function RecommendationPage() {
  return <h1>RecommendationPage</h1>;
}
