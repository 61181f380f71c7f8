// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';
import { checkView } from '../../../ui/src/pages/settings/check-result.ts';
import { TargetCard, type TargetActions } from '../../../ui/src/pages/settings/TargetCard.tsx';
import { toTargetView } from '../../../ui/src/pages/settings/target-view.ts';
import { expectAccessible } from '../support/axe.ts';
import '../support/dom.ts';
import reachable from './fixtures/check-reachable.json' with { type: 'json' };
import targets from './fixtures/targets.json' with { type: 'json' };

afterEach(cleanup);

const demo = toTargetView(targets.allTargets.nodes.find((t) => t.name === 'optischema')!);

function actions(patch: Partial<TargetActions> = {}): TargetActions {
  return {
    test: vi.fn(async () => ({ ok: true as const, data: checkView(reachable)! })),
    savePolicy: vi.fn(async () => ({ ok: true as const, data: {} })),
    saveThresholds: vi.fn(async () => ({ ok: true as const, data: {} })),
    remove: vi.fn(async () => ({ ok: true as const, data: demo.id })),
    ...patch,
  };
}

function renderCard(role: AppRole, a: TargetActions = actions()) {
  const view = render(<TargetCard target={demo} role={role} actions={a} />);
  return { ...view, card: within(screen.getByTestId(`target-${demo.id}`)), actions: a };
}

/** Every form control a person could change. */
function enabledControls(root: HTMLElement) {
  return [...root.querySelectorAll('input, select, textarea')].filter((e) => !(e as HTMLInputElement).disabled);
}

describe('TargetCard for a viewer', () => {
  it('shows the policy and thresholds as text, with no control enabled and no action', () => {
    const { container, card } = renderCard('viewer');
    expect(enabledControls(container)).toEqual([]);
    expect(card.queryByTestId('policy-form')).toBeNull();
    expect(card.getByTestId('policy-details').textContent).toContain('sample: a foreign-key-consistent sample');
    expect(card.getByTestId('policy-details').textContent).toContain('validated: every index that passes validation');
    expect(card.getByTestId('threshold-details').textContent).toContain('100 ms mean per call');
    expect(card.getByText('Changing the policy needs the admin role.')).toBeTruthy();
    expect(card.queryByRole('button')).toBeNull();
  });

  it('shows the status and the last connection test (recorded: unreachable)', () => {
    const { card } = renderCard('viewer');
    expect(card.getByTestId('target-status').textContent).toBe('collecting');
    expect(card.getByTestId('check-summary').textContent).toContain('could not connect: secretRef local is not allowed');
  });

  it('has no serious accessibility violation', async () => {
    const { container } = renderCard('viewer');
    await expectAccessible(container);
  });
});

describe('TargetCard for an analyst', () => {
  it('tests the connection and lists each check with pass, warn, fail or info as text', async () => {
    const { card, actions: a } = renderCard('analyst');
    expect(card.queryByTestId('policy-form')).toBeNull();
    await userEvent.click(card.getByRole('button', { name: 'Test connection' }));
    expect(a.test).toHaveBeenCalledWith(demo.id);
    expect(card.getByTestId('check-summary').textContent).toBe('ready, with 4 warnings');
    const hypopg = card.getByTestId('check-hypopg');
    expect(within(hypopg).getByText('warn').className).toBe('status');
    expect(hypopg.textContent).toContain('CREATE EXTENSION hypopg;');
    expect(within(card.getByTestId('check-version')).getByText('pass')).toBeTruthy();
    expect(card.getByRole('status').textContent).toBe('Connection tested: ready, with 4 warnings.');
    expect(card.queryByRole('button', { name: /Delete/ })).toBeNull();
  });

  it("shows the server's message when the test is refused", async () => {
    const { card } = renderCard('analyst', actions({ test: async () => ({ ok: false, message: 'this needs the analyst role' }) }));
    await userEvent.click(card.getByRole('button', { name: 'Test connection' }));
    expect(card.getByRole('alert').textContent).toBe('Could not test the connection: this needs the analyst role');
  });
});

describe('TargetCard for an admin', () => {
  it('has the policy and thresholds as enabled forms', () => {
    const { card } = renderCard('admin');
    const policy = within(card.getByTestId('policy-form'));
    expect((policy.getByLabelText('Sandbox strategy') as HTMLSelectElement).value).toBe('sample');
    expect((policy.getByLabelText(/Sample fraction/) as HTMLInputElement).disabled).toBe(false);
    expect((policy.getByLabelText('Apply automatically') as HTMLSelectElement).value).toBe('validated');
    // No window stored: its fields wait for the checkbox.
    expect((policy.getByLabelText('Starts at') as HTMLInputElement).disabled).toBe(true);
    expect((card.getByLabelText(/Slow above/) as HTMLInputElement).value).toBe('100');
  });

  it('checks the form before sending, then saves and says so', async () => {
    const { card, actions: a } = renderCard('admin');
    const policy = within(card.getByTestId('policy-form'));
    const fraction = policy.getByLabelText(/Sample fraction/);
    await userEvent.clear(fraction);
    await userEvent.type(fraction, '2');
    await userEvent.click(policy.getByRole('button', { name: 'Save policy' }));
    expect(a.savePolicy).not.toHaveBeenCalled();
    expect(policy.getByText('the sample fraction is at most 1')).toBeTruthy();
    expect(fraction.getAttribute('aria-invalid')).toBe('true');

    await userEvent.clear(fraction);
    await userEvent.type(fraction, '0.05');
    await userEvent.click(policy.getByLabelText(/Apply only inside a daily window/));
    await userEvent.clear(policy.getByLabelText('Lasts (minutes)'));
    await userEvent.type(policy.getByLabelText('Lasts (minutes)'), '45');
    await userEvent.click(policy.getByRole('button', { name: 'Save policy' }));
    expect(a.savePolicy).toHaveBeenCalledWith({
      targetId: demo.id,
      sandboxStrategy: 'sample',
      sandboxSampleFraction: 0.05,
      autoValidate: true,
      autoApply: 'validated',
      applyWindowStart: '02:00',
      applyWindowMinutes: 45,
      clearApplyWindow: false,
    });
    expect(policy.getByRole('status').textContent).toBe('Policy saved.');
    expect(policy.queryByRole('alert')).toBeNull();
  });

  it("shows the server's refusal of the thresholds as an alert", async () => {
    const a = actions({ saveThresholds: vi.fn(async () => ({ ok: false as const, message: 'slow_threshold_ms must be positive, not 0' })) });
    const { card } = renderCard('admin', a);
    const form = within(card.getByTestId('thresholds-form'));
    await userEvent.clear(form.getByLabelText(/Snapshot every/));
    await userEvent.type(form.getByLabelText(/Snapshot every/), '60');
    await userEvent.click(form.getByRole('button', { name: 'Save thresholds' }));
    expect(a.saveThresholds).toHaveBeenCalledWith({ targetId: demo.id, slowThresholdMs: 100, slowMinCalls: 3, snapshotIntervalS: 60 });
    expect(form.getByRole('alert').textContent).toBe('Could not save the thresholds: slow_threshold_ms must be positive, not 0');
    expect(form.getByRole('status').textContent).toBe('');
  });

  it('deletes only after the confirmation', async () => {
    const { card, actions: a } = renderCard('admin');
    await userEvent.click(card.getByRole('button', { name: 'Delete optischema' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete optischema?' });
    expect(a.remove).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(a.remove).not.toHaveBeenCalled();
    await userEvent.click(card.getByRole('button', { name: 'Delete optischema' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete the database from OptiSchema' }));
    expect(a.remove).toHaveBeenCalledWith(demo.id);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('has no serious accessibility violation, forms and dialog included', async () => {
    const { container, card } = renderCard('admin');
    await expectAccessible(container);
    await userEvent.click(card.getByRole('button', { name: 'Delete optischema' }));
    await expectAccessible(document.body);
  });
});
