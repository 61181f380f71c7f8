import { describe, expect, it } from 'vitest';
import { ANALYSIS_ROLE, CURRENT_USER, choosePlanner, resolveUserInPath, type PlannerFacts, type RoleFacts } from '../../plv8/engine/guard/planners.ts';

const role = (name: string, oid: string, extra: Partial<RoleFacts> = {}): RoleFacts => ({
  oid,
  name,
  superuser: false,
  canBecome: true,
  temp: true,
  holdsAnalysis: false,
  requesterMay: true,
  searchPath: '"$user", public',
  ...extra,
});

const app = role('shop_app', '100');
const admin = role('postgres', '10', { superuser: true, holdsAnalysis: true });
const analysis = role(ANALYSIS_ROLE, '200', { holdsAnalysis: true });

function facts(authors: RoleFacts[], extra: Partial<PlannerFacts> = {}): PlannerFacts {
  return {
    sessionRole: 'optischema',
    database: 'shop',
    authors: new Map(authors.map((a) => [a.oid, a])),
    analysis,
    ...extra,
  };
}

describe('choosePlanner: never a superuser, never more than the author', () => {
  it('plans an application role’s statement as that role', () => {
    expect(choosePlanner(['100'], facts([app]))).toEqual({ role: 'shop_app', as: 'author', author: 'shop_app', searchPath: '"$user", public' });
  });

  it('plans a superuser’s statement as the analysis role, with the superuser’s own schema on the path', () => {
    expect(choosePlanner(['10'], facts([admin]))).toEqual({ role: ANALYSIS_ROLE, as: 'analysis', author: 'postgres', searchPath: 'postgres, public' });
  });

  it('prefers an author who is not a superuser when both ran the statement', () => {
    expect(choosePlanner(['10', '100'], facts([admin, app]))).toMatchObject({ role: 'shop_app', as: 'author' });
  });

  it('refuses, with the GRANT to run, an author the session may not become', () => {
    const choice = choosePlanner(['100'], facts([{ ...app, canBecome: false }]));
    expect(choice).toEqual({ refused: expect.stringContaining('GRANT shop_app TO optischema') });
  });

  it('refuses an author without TEMP on the database', () => {
    expect(choosePlanner(['100'], facts([{ ...app, temp: false }]))).toEqual({ refused: expect.stringContaining('GRANT TEMP ON DATABASE shop TO shop_app') });
  });

  it('refuses a superuser’s statement when the analysis role is missing, saying how to make it', () => {
    expect(choosePlanner(['10'], facts([admin], { analysis: null }))).toEqual({ refused: expect.stringContaining(`CREATE ROLE ${ANALYSIS_ROLE} NOLOGIN`) });
  });

  it('never lends the requester a role it may not act as', () => {
    expect(choosePlanner(['100'], facts([{ ...app, requesterMay: false }]))).toHaveProperty('refused');
    expect(choosePlanner(['10'], facts([admin], { analysis: { ...analysis, requesterMay: false } }))).toHaveProperty('refused');
  });

  it('refuses a role that no longer exists', () => {
    expect(choosePlanner(['999'], facts([]))).toEqual({ refused: expect.stringContaining('no longer exists') });
  });

  it('a statement without authors is the session’s own', () => {
    const f = facts([]);
    f.authors.set(CURRENT_USER, app);
    expect(choosePlanner([], f)).toMatchObject({ role: 'shop_app', as: 'author' });
  });

  it('resolves "$user" to the author, quoted when it needs it', () => {
    expect(resolveUserInPath('"$user", public', 'Shop App')).toBe('"Shop App", public');
  });
});
