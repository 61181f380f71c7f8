import type { FormEvent } from 'react';
import { AUDIT_ACTIONS, KNOWN_ACTIONS } from './audit-actions.ts';

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
}

/**
 * The action and actor filters. Both are exact matches (the API's condition), so the actor field
 * suggests the actors already seen; the filter is applied on submit, not on every keystroke.
 */
export function AuditFilters({ filter, actors, onApply }: { filter: AuditFilter; actors: readonly string[]; onApply(filter: AuditFilter): void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const action = String(form.get('action') ?? '').trim();
    const actor = String(form.get('actor') ?? '').trim();
    onApply({ action: action || undefined, actor: actor || undefined });
  };
  return (
    // Keyed on the filter: going back in history shows that filter in the fields.
    <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={submit} key={`${filter.action ?? ''}|${filter.actor ?? ''}`}>
      <label>
        Action
        <select name="action" defaultValue={filter.action ?? ''}>
          <option value="">any action</option>
          {filter.action && !KNOWN_ACTIONS.has(filter.action) && <option value={filter.action}>{filter.action}</option>}
          {AUDIT_ACTIONS.map((g) => (
            <optgroup key={g.group} label={g.group}>
              {g.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        Actor (exact email, API key name or role)
        <input name="actor" type="text" list="audit-actors" defaultValue={filter.actor ?? ''} maxLength={200} autoComplete="off" />
        <datalist id="audit-actors">
          {actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <button type="submit" className="primary">
        Filter
      </button>
      {(filter.action || filter.actor) && (
        <button type="button" onClick={() => onApply({})}>
          Clear filters
        </button>
      )}
    </form>
  );
}
