// @vitest-environment jsdom
import '../support/dom.ts';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';
import { AiSettingsPanel } from '../../../ui/src/pages/settings/AiSettingsPanel.tsx';
import { expectAccessible } from '../support/axe.ts';
import { fakeApi, WithApi, type Handler } from './fake-client.tsx';
import recorded from './fixtures/analyses.json' with { type: 'json' };

function api(setAiSettings?: Handler) {
  let status: unknown = recorded.statusOn;
  return fakeApi({
    AiStatus: () => ({ aiStatus: status }),
    SetAiSettings:
      setAiSettings ??
      (({ input }) => {
        const i = input as Record<string, unknown>;
        status = { ...recorded.statusOn, provider: i.provider, model: i.model, monthlyTokenBudget: i.monthlyTokenBudget, reviewsPerHour: i.reviewsPerHour };
        return { setAiSettings: { result: status } };
      }),
  });
}

async function show(role: AppRole, a = api()) {
  const r = render(
    <WithApi api={a} role={role}>
      <AiSettingsPanel />
    </WithApi>,
  );
  const section = within(screen.getByRole('region', { name: 'AI analysis' }));
  await section.findByTestId('ai-usage');
  return { ...r, section, api: a };
}

describe('the AI settings card', () => {
  it('shows everyone the model and what was spent', async () => {
    const { section } = await show('viewer');
    const usage = section.getByTestId('ai-usage').textContent!;
    expect(usage).toContain('on, with openai · gpt-4.1-mini');
    expect(usage).toContain('12,840 of 2,000,000');
    expect(usage).toContain('3 of at most 20');
    expect(usage).toContain('never sent');
  });

  it('says where keys come from and has no place to enter one', async () => {
    const { section, container } = await show('admin');
    expect(section.getByTestId('ai-key-note').textContent).toMatch(/API key is never entered or shown here.*OPTISCHEMA_AI_API_KEY.*optischema ai set/);
    expect(container.querySelector('input[type="password"]')).toBeNull();
    expect(section.queryByLabelText(/key/i)).toBeNull();
  });

  it('gives a viewer no form', async () => {
    const { section, container } = await show('viewer');
    expect(section.queryByTestId('ai-settings-form')).toBeNull();
    expect(container.querySelectorAll('input, select, button')).toHaveLength(0);
    expect(section.getByTestId('needs-admin').textContent).toBe('Changing the AI settings needs the admin role; you are signed in as viewer.');
  });

  it('sends setAiSettings with the form’s values, then reads the state again', async () => {
    const { section, api: a } = await show('admin');
    const form = within(section.getByTestId('ai-settings-form'));
    expect((form.getByLabelText('Provider') as HTMLSelectElement).value).toBe('openai');
    expect((form.getByLabelText('Model') as HTMLInputElement).value).toBe('gpt-4.1-mini');
    await userEvent.selectOptions(form.getByLabelText('Provider'), 'ollama');
    await userEvent.clear(form.getByLabelText('Model'));
    await userEvent.type(form.getByLabelText('Model'), 'qwen2.5-coder:7b');
    await userEvent.type(form.getByLabelText(/Base URL/), 'http://127.0.0.1:11434');
    await userEvent.clear(form.getByLabelText('Monthly token budget'));
    await userEvent.type(form.getByLabelText('Monthly token budget'), '500000');
    await userEvent.clear(form.getByLabelText(/Analyses per hour/));
    await userEvent.type(form.getByLabelText(/Analyses per hour/), '5');
    await userEvent.click(form.getByLabelText(/Send literal values/));
    expect(form.getByText(/Literal values can be personal data/)).toBeTruthy();
    const readsBefore = a.sent.filter((s) => s.name === 'AiStatus').length;
    await userEvent.click(form.getByRole('button', { name: 'Save AI settings' }));
    expect(a.sent.filter((s) => s.name === 'SetAiSettings').map((s) => s.variables)).toEqual([
      {
        input: {
          enabled: true,
          provider: 'ollama',
          model: 'qwen2.5-coder:7b',
          baseUrl: 'http://127.0.0.1:11434',
          sendLiterals: true,
          monthlyTokenBudget: '500000',
          reviewsPerHour: 5,
        },
      },
    ]);
    expect(form.getByRole('status').textContent).toBe('AI settings saved.');
    await within(section.getByTestId('ai-usage')).findByText(/ollama · qwen2.5-coder:7b/);
    expect(a.sent.filter((s) => s.name === 'AiStatus').length).toBeGreaterThan(readsBefore);
  });

  it('checks the form before sending, and shows the server’s refusal', async () => {
    const { section, api: a } = await show('admin', api(() => new Error('this needs the admin role')));
    const form = within(section.getByTestId('ai-settings-form'));
    await userEvent.clear(form.getByLabelText('Model'));
    await userEvent.click(form.getByRole('button', { name: 'Save AI settings' }));
    expect(a.sent.some((s) => s.name === 'SetAiSettings')).toBe(false);
    expect(form.getByText('a provider needs a model (e.g. gpt-4.1-mini, qwen2.5-coder:7b)')).toBeTruthy();
    expect(form.getByLabelText('Model').getAttribute('aria-invalid')).toBe('true');

    // The server's default needs no model of the tenant's own.
    await userEvent.selectOptions(form.getByLabelText('Provider'), '');
    expect((form.getByLabelText('Model') as HTMLInputElement).disabled).toBe(true);
    await userEvent.click(form.getByRole('button', { name: 'Save AI settings' }));
    expect(a.sent.find((s) => s.name === 'SetAiSettings')?.variables).toMatchObject({ input: { provider: null, model: null, baseUrl: null } });
    expect(form.getByRole('alert').textContent).toBe('Could not save the AI settings: this needs the admin role');
  });

  it('has no serious accessibility violation', async () => {
    const { container } = await show('admin');
    await expectAccessible(container);
  });
});
