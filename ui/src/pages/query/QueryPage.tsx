// Placeholder while the page is written (this session).
export function QueryPage() {
  return <h1>QueryPage</h1>;
}
