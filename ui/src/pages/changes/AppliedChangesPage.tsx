// Placeholder while the page is written (this session).
export function AppliedChangesPage() {
  return <h1>AppliedChangesPage</h1>;
}
