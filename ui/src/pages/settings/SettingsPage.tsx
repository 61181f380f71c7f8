// Placeholder while the page is written (this session).
export function SettingsPage() {
  return <h1>SettingsPage</h1>;
}
