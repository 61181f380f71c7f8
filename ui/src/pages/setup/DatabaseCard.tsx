import type { StartStatus } from '../../api/status.ts';

export function DatabaseCard({ status }: { status: StartStatus }) {
  const { database } = status;
  return (
    <section aria-labelledby="database-heading">
      <h2 id="database-heading">Connected database</h2>
      <dl>
        <dt>Database</dt>
        <dd data-testid="database-name">{database.name}</dd>
        <dt>Server</dt>
        <dd data-testid="server-version">PostgreSQL {database.serverVersion}</dd>
        <dt>User</dt>
        <dd>{database.user}</dd>
        <dt>Connection</dt>
        <dd>
          <code>{database.url}</code> {database.embedded && <span className="badge">embedded</span>}
        </dd>
        <dt>Ready</dt>
        <dd data-testid="ready">{status.ready ? 'yes' : 'no: see the checks below'}</dd>
      </dl>
    </section>
  );
}
