import { useId } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';

export interface NewKey {
  name: string;
  prefix: string;
  key: string;
}

/**
 * A new API key's secret, this once: the server stores only its hash, so once hidden (or the page
 * left) nobody can read it again; a lost key is revoked and replaced.
 */
export function NewKeySecret({ created, onDone }: { created: NewKey; onDone(): void }) {
  const id = useId();
  return (
    <div className="stack" style={{ gap: '0.5rem', padding: '0.75rem', border: '1px dashed var(--warn)', borderRadius: '4px' }} data-testid="new-key">
      <p role="alert" className="warn">
        <strong>Copy the key for “{created.name}” now: it will not be shown again.</strong> OptiSchema keeps only its hash.
      </p>
      <label htmlFor={`${id}-key`}>API key</label>
      <input
        id={`${id}-key`}
        className="secret"
        type="text"
        readOnly
        value={created.key}
        onFocus={(e) => e.currentTarget.select()}
        data-testid="new-key-secret"
      />
      <div className="row">
        <CopyButton text={created.key} label="Copy the key" />
        <button type="button" onClick={onDone}>
          I have stored it: hide the key
        </button>
      </div>
      <p className="muted">
        Send it as <code>Authorization: Bearer …</code>; it acts with the role it was given.
      </p>
    </div>
  );
}
