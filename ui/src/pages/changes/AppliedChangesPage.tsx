import { Link } from '@tanstack/react-router';
import { QueryState } from '../../components/QueryState.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { AppliedChangesTable } from './AppliedChangesTable.tsx';
import { toChangeRows } from './change-rows.ts';
import { APPLIED_CHANGE_EVENTS, AppliedChanges } from './changes-queries.ts';

/** What OptiSchema changed on production, and what each change gained there. */
export function AppliedChangesPage() {
  const [result] = useLiveQuery({ query: AppliedChanges }, APPLIED_CHANGE_EVENTS);
  const changes = nodesOf(result.data?.allAppliedChanges?.nodes);
  const targets = nodesOf(result.data?.allTargets?.nodes) ?? [];
  return (
    <>
      <h1>Applied changes</h1>
      <section aria-labelledby="changes-heading">
        <h2 id="changes-heading">Changes, newest first</h2>
        <QueryState
          what="applied changes"
          fetching={result.fetching}
          error={result.error}
          data={changes && toChangeRows(changes, targets)}
          empty={(rows) => rows.length === 0}
          emptyText={
            <>
              Nothing has been applied yet: a validated <Link to="/recommendations">recommendation</Link> is applied by an admin, or by the database's
              auto-apply policy.
            </>
          }
        >
          {(rows) => <AppliedChangesTable rows={rows} />}
        </QueryState>
      </section>
    </>
  );
}
