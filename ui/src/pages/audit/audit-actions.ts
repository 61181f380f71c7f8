/**
 * The actions the audit log records: each API mutation by its name (audit-plugin.ts), sign-in
 * events (sign-in.ts), and each state a recommendation moves to (record_recommendation_transition,
 * migration 0014). Listed for the filter; an action not listed can still be typed in the URL.
 */
export const AUDIT_ACTIONS: readonly { group: string; actions: readonly string[] }[] = [
  { group: 'Sign-in', actions: ['sign_in', 'refresh', 'sign_out'] },
  {
    group: 'Recommendations (requests)',
    actions: [
      'validateRecommendation',
      'applyRecommendation',
      'rollbackRecommendation',
      'dismissRecommendation',
      'setRecommendationState',
      'addRecommendationNote',
    ],
  },
  {
    group: 'Recommendations (state changes)',
    actions: [
      'recommendation.validating',
      'recommendation.validated',
      'recommendation.rejected',
      'recommendation.inconclusive',
      'recommendation.scheduled',
      'recommendation.rescheduled',
      'recommendation.applying',
      'recommendation.apply_attempt',
      'recommendation.applied',
      'recommendation.failed',
      'recommendation.rolling_back',
      'recommendation.rolled_back',
      'recommendation.dismissed',
      'recommendation.proposed',
    ],
  },
  { group: 'Databases', actions: ['createTarget', 'deleteTarget', 'testTargetConnection', 'setTargetPolicy', 'setTargetThresholds'] },
  { group: 'Members and API keys', actions: ['addMember', 'setMemberRole', 'removeMember', 'createApiKey', 'revokeApiKey'] },
];

export const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS.flatMap((g) => g.actions));
