import { useMemo } from 'react';
import { useClient, useMutation } from 'urql';
import { checkView, type CheckView } from './check-result.ts';
import type { DatabaseActions } from './DatabasesList.tsx';
import type { ApiKeyActions } from './ApiKeysPanel.tsx';
import type { MemberActions } from './MembersPanel.tsx';
import { outcomeOf, type Outcome } from './outcome.ts';
import {
  AddMember,
  CreateApiKey,
  CreateTarget,
  DeleteTarget,
  RemoveMember,
  RevokeApiKey,
  SetMemberRole,
  SetTargetPolicy,
  SetTargetThresholds,
  TestTargetConnection,
} from './settings-queries.ts';

/** The databases' mutations as outcomes; each success reads the list again (`refresh`). */
export function useDatabaseActions(refresh: () => void): DatabaseActions {
  const client = useClient();
  const [, test] = useMutation(TestTargetConnection);
  const [, remove] = useMutation(DeleteTarget);
  const [, setPolicy] = useMutation(SetTargetPolicy);
  const [, setThresholds] = useMutation(SetTargetThresholds);
  return useMemo(() => {
    const after = <T>(outcome: Outcome<T>): Outcome<T> => {
      if (outcome.ok) refresh();
      return outcome;
    };
    const testOne = async (targetId: string): Promise<Outcome<CheckView>> => {
      const outcome = outcomeOf(await test({ targetId }), (d) => checkView(d.testTargetConnection));
      return after(outcome);
    };
    return {
      test: testOne,
      async create(form) {
        // Sent through the client, not useMutation: a hook's state would keep the variables (the
        // connection string, with its password) in memory after the form is emptied.
        const created = outcomeOf(await client.mutation(CreateTarget, form).toPromise(), (d) => d.createTarget);
        if (!created.ok) return created;
        refresh();
        // A new database is tested at once: its checks say what it still needs.
        const check = await testOne(created.data.targetId);
        return { ok: true, data: { targetId: created.data.targetId, name: created.data.target?.name ?? form.name, check } };
      },
      async remove(targetId) {
        return after(outcomeOf(await remove({ targetId }), (d) => d.deleteTarget?.result));
      },
      async savePolicy(input) {
        return after(outcomeOf(await setPolicy({ input }), (d) => d.setTargetPolicy?.result));
      },
      async saveThresholds(input) {
        return after(outcomeOf(await setThresholds({ input }), (d) => d.setTargetThresholds?.result));
      },
    };
  }, [client, test, remove, setPolicy, setThresholds, refresh]);
}

export function useMemberActions(refresh: () => void): MemberActions {
  const [, add] = useMutation(AddMember);
  const [, setRole] = useMutation(SetMemberRole);
  const [, remove] = useMutation(RemoveMember);
  return useMemo(() => {
    const after = <T>(outcome: Outcome<T>): Outcome<T> => {
      if (outcome.ok) refresh();
      return outcome;
    };
    return {
      async add(form) {
        return after(outcomeOf(await add(form), (d) => d.addMember?.result));
      },
      async setRole(userId, role) {
        return after(outcomeOf(await setRole({ userId, role }), (d) => d.setMemberRole?.result));
      },
      async remove(userId) {
        return after(outcomeOf(await remove({ userId }), (d) => d.removeMember?.result));
      },
    };
  }, [add, setRole, remove, refresh]);
}

export function useApiKeyActions(refresh: () => void): ApiKeyActions {
  const client = useClient();
  const [, revoke] = useMutation(RevokeApiKey);
  return useMemo(() => {
    const after = <T>(outcome: Outcome<T>): Outcome<T> => {
      if (outcome.ok) refresh();
      return outcome;
    };
    return {
      async create(form) {
        // Through the client, not useMutation, whose state would keep the secret after it is hidden.
        const outcome = outcomeOf(await client.mutation(CreateApiKey, form).toPromise(), (d) => d.createApiKey?.result);
        if (!outcome.ok) return outcome;
        const { key, prefix } = outcome.data;
        if (!key) return { ok: false, message: 'the server did not return the key' };
        return after({ ok: true, data: { name: form.name, prefix: prefix ?? '', key } });
      },
      async revoke(apiKeyId) {
        return after(outcomeOf(await revoke({ apiKeyId }), (d) => d.revokeApiKey?.result));
      },
    };
  }, [client, revoke, refresh]);
}
