import { describe, expect, it } from 'vitest';
import { parseApiKeyForm, parseMemberForm, parseTargetForm } from '../../../ui/src/pages/settings/access-forms.ts';

describe('member form', () => {
  it('takes an email and a role, trimmed', () => {
    expect(parseMemberForm({ email: ' ana@example.com ', role: 'analyst' })).toEqual({ ok: true, value: { email: 'ana@example.com', role: 'analyst' } });
  });
  it('refuses what add_member refuses', () => {
    expect(parseMemberForm({ email: 'ana', role: 'analyst' })).toEqual({ ok: false, errors: { email: 'not an email address' } });
    expect(parseMemberForm({ email: 'ana@example.com', role: 'owner' })).toEqual({ ok: false, errors: { role: 'choose a role: viewer, analyst or admin' } });
  });
});

describe('API key form', () => {
  it('needs a name', () => {
    expect(parseApiKeyForm({ name: '   ', role: 'viewer' })).toEqual({ ok: false, errors: { name: 'a key needs a name (what uses it)' } });
    expect(parseApiKeyForm({ name: 'ci', role: 'viewer' })).toEqual({ ok: true, value: { name: 'ci', role: 'viewer' } });
  });
});

describe('database form', () => {
  it('takes a postgres:// URL', () => {
    const value = { name: 'shop', connectionString: 'postgresql://monitor:s3cret@db.internal:5432/shop' };
    expect(parseTargetForm(value)).toEqual({ ok: true, value });
  });
  it('refuses another scheme without repeating the string (it holds a password)', () => {
    const parsed = parseTargetForm({ name: 'shop', connectionString: 'mysql://root:hunter2@db/shop' });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
    expect(parsed).toEqual({ ok: false, errors: { connectionString: 'a connection string starts with postgres:// or postgresql://' } });
  });
  it('needs a name', () => {
    expect(parseTargetForm({ name: '', connectionString: 'postgres://a@b/c' })).toEqual({ ok: false, errors: { name: 'a database needs a name' } });
  });
});
