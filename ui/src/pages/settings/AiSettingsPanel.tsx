import { useCallback } from 'react';
import { useMutation, useQuery } from 'urql';
import { can, useSession } from '../../app/session-context.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { AiStatusQuery, SetAiSettings, type AiSettingsInput } from '../ai/ai-queries.ts';
import { statusView } from '../ai/ai-status.ts';
import { AiSettingsForm } from '../ai/AiSettingsForm.tsx';
import { AiUsage } from '../ai/AiUsage.tsx';
import { outcomeOf } from './outcome.ts';

/** The tenant's AI analysis: its state and spending for everyone, its settings for admins. The API key never appears. */
export function AiSettingsPanel() {
  const { role } = useSession();
  const [result, reexecute] = useQuery({ query: AiStatusQuery });
  const [, setSettings] = useMutation(SetAiSettings);
  const save = useCallback(
    async (input: AiSettingsInput) => {
      const outcome = outcomeOf(await setSettings({ input }), (d) => d.setAiSettings?.result);
      if (outcome.ok) reexecute({ requestPolicy: 'network-only' });
      return outcome;
    },
    [setSettings, reexecute],
  );
  return (
    <section aria-labelledby="ai-settings-heading" data-testid="ai-settings">
      <h2 id="ai-settings-heading">AI analysis</h2>
      <div className="stack settings-panel" style={{ gap: '0.75rem' }}>
        <QueryState what="the AI state" fetching={result.fetching} error={result.error} data={result.data ? { status: statusView(result.data.aiStatus) } : undefined}>
          {({ status }) => (
            <>
              <AiUsage status={status} />
              <p className="muted" data-testid="ai-key-note">
                The API key is never entered or shown here: the server reads it from its environment (<code>OPTISCHEMA_AI_API_KEY</code>), a secrets
                file (<code>OPTISCHEMA_AI_API_KEY_FILE</code>), or a key an operator sealed with <code>optischema ai set</code>.
              </p>
              {can(role, 'admin') ? (
                <AiSettingsForm status={status} onSave={save} />
              ) : (
                <p data-testid="needs-admin">Changing the AI settings needs the admin role; you are signed in as {role}.</p>
              )}
            </>
          )}
        </QueryState>
      </div>
    </section>
  );
}
