import { useCallback } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession } from '../../app/session-context.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { AdminOnly } from './AdminOnly.tsx';
import { AiSettingsPanel } from './AiSettingsPanel.tsx';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { DatabasesList } from './DatabasesList.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { useApiKeyActions, useDatabaseActions, useMemberActions } from './settings-actions.ts';
import { SettingsApiKeys, SettingsMembers, SettingsTargets } from './settings-queries.ts';
import { toTargetView } from './target-view.ts';
import './settings.css';

/** The monitored databases and their policies, then (admins) the team's members and API keys. */
export function SettingsPage() {
  const { role } = useSession();
  return (
    <>
      <h1>Settings</h1>
      <DatabasesSection />
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <AdminOnly role={role} what="Managing members">
          <MembersContainer />
        </AdminOnly>
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        <AdminOnly role={role} what="Managing API keys">
          <ApiKeysContainer />
        </AdminOnly>
      </section>
      <AiSettingsPanel />
    </>
  );
}

function useRefresh(reexecute: (opts: { requestPolicy: 'network-only' }) => void) {
  return useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
}

function DatabasesSection() {
  const { role } = useSession();
  // Status and the last snapshot move with every snapshot, without an event.
  const [result, refresh] = useLiveQuery({ query: SettingsTargets }, [], 30_000);
  const actions = useDatabaseActions(refresh);
  const targets = nodesOf(result.data?.allTargets?.nodes);
  return (
    <section aria-labelledby="databases-heading">
      <h2 id="databases-heading">Databases</h2>
      <QueryState what="databases" fetching={result.fetching} error={result.error} data={targets?.map(toTargetView)}>
        {(views) => <DatabasesList targets={views} role={role} actions={actions} />}
      </QueryState>
    </section>
  );
}

function MembersContainer() {
  const { email } = useSession();
  const [result, reexecute] = useQuery({ query: SettingsMembers });
  const actions = useMemberActions(useRefresh(reexecute));
  return (
    <QueryState what="members" fetching={result.fetching} error={result.error} data={nodesOf(result.data?.allMembers?.nodes)}>
      {(members) => <MembersPanel members={members} selfEmail={email} actions={actions} />}
    </QueryState>
  );
}

function ApiKeysContainer() {
  const [result, reexecute] = useQuery({ query: SettingsApiKeys });
  const actions = useApiKeyActions(useRefresh(reexecute));
  return (
    <QueryState what="API keys" fetching={result.fetching} error={result.error} data={nodesOf(result.data?.allApiKeys?.nodes)}>
      {(keys) => <ApiKeysPanel keys={keys} actions={actions} />}
    </QueryState>
  );
}
