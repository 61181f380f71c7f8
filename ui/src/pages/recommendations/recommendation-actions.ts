import { ACTION_ROLE, can, type AppRole } from '../../app/session-context.tsx';

/**
 * The moves a person may ask for on a recommendation, as the database allows them
 * (sql/migrations/0014_validation_and_apply.sql: recommendation_transition_allowed ∩
 * recommendation_transition_requestable, and the checks in optischema.validate/apply/dismiss/
 * rollback; 0003's set_recommendation_state for reopening). The page shows only these; the API
 * refuses any other anyway, so a stale page costs an error message, never a wrong change.
 */
export type RecommendationAction = 'validate' | 'apply' | 'schedule' | 'forceApply' | 'dismiss' | 'rollback' | 'reopen';

/** From-states of each move. Kept as the migration lists them, so a reviewer can diff the two. */
const FROM: Record<RecommendationAction, readonly string[]> = {
  // ('proposed'|'validated'|'rejected'|'inconclusive'|'failed'|'rolled_back', 'validating')
  validate: ['proposed', 'validated', 'rejected', 'inconclusive', 'failed', 'rolled_back'],
  // apply(): validated, or a scheduled one moved to another time (no force reason).
  apply: ['validated', 'scheduled'],
  schedule: ['validated', 'scheduled'],
  // apply() with force_reason (≥ 10 characters): an unvalidated one.
  forceApply: ['proposed', 'rejected', 'inconclusive', 'failed'],
  // (…, 'dismissed'): every open state.
  dismiss: ['proposed', 'validating', 'validated', 'rejected', 'inconclusive', 'scheduled', 'failed', 'rolled_back'],
  rollback: ['applied'],
  // set_recommendation_state: ('dismissed', 'proposed').
  reopen: ['dismissed'],
};

const NEEDS: Record<RecommendationAction, AppRole> = {
  validate: ACTION_ROLE.validate,
  apply: ACTION_ROLE.apply,
  schedule: ACTION_ROLE.schedule,
  forceApply: ACTION_ROLE.forceApply,
  dismiss: ACTION_ROLE.dismiss,
  rollback: ACTION_ROLE.rollback,
  reopen: ACTION_ROLE.dismiss,
};

/** Display order: the step forward first, the ways out last. */
const ORDER: readonly RecommendationAction[] = ['validate', 'apply', 'schedule', 'forceApply', 'rollback', 'reopen', 'dismiss'];

/** The moves that run the statement on production: never offered for steps to follow by hand. */
const APPLYING: readonly RecommendationAction[] = ['apply', 'schedule', 'forceApply'];

/**
 * `manual`: the statement is only SQL comments, steps for a person (0017's refuse_manual_apply
 * trigger refuses to apply one); it can still be validated and dismissed.
 *
 * @example
 *   availableActions('validated', 'admin');                     // ['validate', 'apply', 'schedule', 'dismiss']
 *   availableActions('validated', 'analyst');                   // ['validate', 'dismiss']
 *   availableActions('applied', 'viewer');                      // []
 *   availableActions('validated', 'admin', { manual: true });   // ['validate', 'dismiss']
 */
export function availableActions(state: string | null | undefined, role: AppRole, options: { manual?: boolean } = {}): RecommendationAction[] {
  if (!state) return [];
  return ORDER.filter((action) => FROM[action].includes(state) && can(role, NEEDS[action]) && !(options.manual && APPLYING.includes(action)));
}

/** The shortest force reason optischema.apply accepts (after trimming). */
export const FORCE_REASON_MIN = 10;

export function forceReasonOk(reason: string): boolean {
  return reason.trim().length >= FORCE_REASON_MIN;
}

export function dismissReasonOk(reason: string): boolean {
  return reason.trim().length > 0;
}

/** The accessible names the end-to-end test clicks: keep them stable. */
export const ACTION_LABEL: Record<RecommendationAction, { button: string; confirm: string; title: string }> = {
  validate: { button: 'Validate', confirm: 'Confirm validate', title: 'Validate on the sandbox?' },
  apply: { button: 'Apply now', confirm: 'Confirm apply', title: 'Apply to the production database now?' },
  schedule: { button: 'Schedule…', confirm: 'Confirm schedule', title: 'Schedule the apply' },
  forceApply: { button: 'Force apply…', confirm: 'Confirm apply', title: 'Apply without a validation?' },
  dismiss: { button: 'Dismiss…', confirm: 'Confirm dismiss', title: 'Dismiss this recommendation?' },
  rollback: { button: 'Roll back', confirm: 'Confirm rollback', title: 'Roll back this index?' },
  reopen: { button: 'Reopen', confirm: 'Confirm reopen', title: 'Reopen this recommendation?' },
};

/** A dialog's title: the rollback of a health change is not an index's. */
export function actionTitle(action: RecommendationAction, index: boolean): string {
  return action === 'rollback' && !index ? 'Roll back this change?' : ACTION_LABEL[action].title;
}

/** What the container sends for a confirmed action (one mutation each). */
export type ActionRequest =
  | { action: 'validate' }
  | { action: 'apply'; at: string | null; forceReason: string | null }
  | { action: 'dismiss'; reason: string }
  | { action: 'rollback' }
  | { action: 'reopen' };
