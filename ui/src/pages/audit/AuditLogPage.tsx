// Placeholder while the page is written (this session).
export function AuditLogPage() {
  return <h1>AuditLogPage</h1>;
}
