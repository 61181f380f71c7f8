import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState.tsx';
import { can, useSession } from '../../app/session-context.tsx';
import { nodesOf } from '../../graphql/nodes.ts';
import { AuditLogs } from './audit-queries.ts';
import { offsetOf, PAGE_SIZE, pageInfo } from './audit-pagination.ts';
import { actorNames, actorSuggestions, toAuditRows } from './audit-rows.ts';
import { AuditFilters, type AuditFilter } from './AuditFilters.tsx';
import { AuditLogView } from './AuditLogView.tsx';

const route = getRouteApi('/audit');

/** Who did what, when, from where, and how it ended: the tenant's append-only audit log (admins). */
export function AuditLogPage() {
  const { role } = useSession();
  // The log is granted to optischema_admin only (migration 0003): other roles are not asked for it.
  const allowed = can(role, 'admin');
  return (
    <>
      <h1>Audit log</h1>
      {allowed ? <AuditLogSection /> : <p data-testid="needs-admin">The audit log needs the admin role; you are signed in as {role}.</p>}
    </>
  );
}

function AuditLogSection() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/audit' });
  const condition = { ...(search.action ? { action: search.action } : {}), ...(search.actor ? { actorLabel: search.actor } : {}) };
  const [result] = useQuery({
    query: AuditLogs,
    variables: { condition, first: PAGE_SIZE, offset: offsetOf(search.page) },
    requestPolicy: 'cache-and-network',
  });
  const log = result.data?.allAuditLogs;
  const names = actorNames(nodesOf(result.data?.allMembers?.nodes) ?? [], nodesOf(result.data?.allApiKeys?.nodes) ?? []);
  const rows = nodesOf(log?.nodes) && toAuditRows(nodesOf(log?.nodes) ?? [], names);
  const apply = (filter: AuditFilter) => void navigate({ search: { action: filter.action, actor: filter.actor, page: undefined } });
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Entries, newest first</h2>
      <AuditFilters filter={{ action: search.action, actor: search.actor }} actors={actorSuggestions(rows ?? [], names)} onApply={apply} />
      <QueryState
        what="audit log entries"
        fetching={result.fetching}
        error={result.error}
        data={rows && log ? { rows, total: log.totalCount } : undefined}
        empty={(d) => d.total === 0}
        emptyText={search.action || search.actor ? 'No entry matches these filters.' : 'No entry yet: every request that changes something is recorded here.'}
      >
        {(d) => (
          <AuditLogView
            rows={d.rows}
            info={pageInfo(search.page, d.total)}
            onPage={(page) => void navigate({ search: (s) => ({ ...s, page: page === 1 ? undefined : page }) })}
          />
        )}
      </QueryState>
    </section>
  );
}
