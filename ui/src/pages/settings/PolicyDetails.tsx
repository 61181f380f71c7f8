import { autoApplyText, strategyText, windowText, type TargetPolicy } from './policy-form.ts';

/** The policy as text, for those who may read it but not change it. */
export function PolicyDetails({ policy }: { policy: TargetPolicy }) {
  return (
    <dl data-testid="policy-details">
      <dt>Sandbox strategy</dt>
      <dd>{strategyText(policy.sandboxStrategy)}</dd>
      {policy.sandboxStrategy === 'sample' && (
        <>
          <dt>Sample fraction</dt>
          <dd>{policy.sandboxSampleFraction ?? '–'}</dd>
        </>
      )}
      <dt>Auto-validate</dt>
      <dd>{policy.autoValidate ? 'yes: every new index recommendation is validated' : 'no: someone asks for each validation'}</dd>
      <dt>Auto-apply</dt>
      <dd>{autoApplyText(policy.autoApply)}</dd>
      <dt>Apply window</dt>
      <dd>{windowText(policy.applyWindowStart, policy.applyWindowMinutes)}</dd>
    </dl>
  );
}
