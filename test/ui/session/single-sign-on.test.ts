// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { accessToken, takeSingleSignOnResult } from '../../../ui/src/api/session.ts';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('the outcome of single sign-on, handed back in the fragment', () => {
  it('keeps the token as the session and removes it from the address bar', () => {
    history.replaceState(null, '', '/recommendations?state=validated#sso=abc.def%2Bghi');
    expect(takeSingleSignOnResult()).toBeNull();
    expect(accessToken()).toBe('abc.def+ghi');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/recommendations?state=validated');
  });

  it('returns a refusal to show, and keeps no token', () => {
    history.replaceState(null, '', '/#sso-error=no%20OptiSchema%20account%20for%20x%40example.com');
    expect(takeSingleSignOnResult()).toBe('no OptiSchema account for x@example.com');
    expect(accessToken()).toBeNull();
    expect(window.location.hash).toBe('');
  });

  it('leaves any other fragment alone', () => {
    history.replaceState(null, '', '/#details');
    expect(takeSingleSignOnResult()).toBeNull();
    expect(window.location.hash).toBe('#details');
  });
});
