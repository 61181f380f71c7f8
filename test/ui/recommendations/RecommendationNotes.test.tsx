// @vitest-environment jsdom
import '../support/dom.ts';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RecommendationNotes } from '../../../ui/src/pages/recommendations/RecommendationNotes.tsx';

const notes = [{ id: 'n1', body: 'Checked with the orders team: safe to build tonight.', createdAt: '2026-12-03T17:30:00Z', author: 'Local admin' }];

describe('RecommendationNotes', () => {
  it('lists the notes with their authors; a viewer has no form', () => {
    render(<RecommendationNotes notes={notes} canAdd={false} onAdd={async () => null} />);
    expect(screen.getByTestId('notes').textContent).toContain('Checked with the orders team');
    expect(screen.getByTestId('notes').textContent).toContain('Local admin');
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('adds a note and clears the field; a refusal keeps the text under an alert', async () => {
    const onAdd = vi.fn<(body: string) => Promise<string | null>>().mockResolvedValueOnce('permission denied').mockResolvedValueOnce(null);
    const user = userEvent.setup();
    render(<RecommendationNotes notes={[]} canAdd onAdd={onAdd} />);
    const field = screen.getByRole('textbox', { name: 'New note' }) as HTMLTextAreaElement;
    expect((screen.getByRole('button', { name: 'Add note' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(field, 'Needs a look at the write rate');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(screen.getByRole('alert').textContent).toContain('permission denied');
    expect(field.value).toBe('Needs a look at the write rate');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(onAdd).toHaveBeenLastCalledWith('Needs a look at the write rate');
    expect(field.value).toBe('');
  });
});
