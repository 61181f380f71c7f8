/**
 * Candidates of access methods other than btree, for the operators a btree cannot serve. The
 * operator and the type of the constant beside it (the plan prints it cast: `'{…}'::jsonb`,
 * `'{1,2}'::integer[]`, `'[…)'::tstzrange`) say which method and operator class can:
 * - GIN: jsonb containment and key tests (`@>`, `?`, `?|`, `?&`, `@?`), array containment and
 *   overlap (`@>`, `<@`, `&&`), full-text search (`@@`), and pattern matching anywhere in a text
 *   (LIKE/ILIKE '%abc%', `~`, `~*`) through pg_trgm's gin_trgm_ops;
 * - GiST: ranges and geometric types (`&&`, `@>`, `<@`, `<<`, `>>`, `&<`, `&>`, `-|-`).
 * hypopg cannot cost GIN or GiST, so every candidate here carries the `access-method` uncertainty:
 * it is proposed on the plan's evidence and decided by measurement. Operators whose type cannot be
 * told from the text are left alone rather than guessed.
 */
import type { ConditionAtom } from '../../plan/conditions.ts';
import type { IndexCandidate } from './index-candidate.ts';

export type MethodCandidate = Pick<IndexCandidate, 'keys' | 'method' | 'uncertainty' | 'reason'>;

const JSONB_OPERATORS = new Set(['@>', '?', '?|', '?&', '@?']);
const ARRAY_OPERATORS = new Set(['@>', '<@', '&&']);
const PATTERN_OPERATORS = new Set(['~~', '~~*', '~', '~*']);
const GIST_OPERATORS = new Set(['&&', '@>', '<@', '<<', '>>', '&<', '&>', '-|-']);
const GEOMETRIC_TYPES = new Set(['point', 'box', 'polygon', 'circle', 'lseg', 'path', 'inet', 'cidr']);
/** The operator class pg_trgm gives GIN for LIKE, ILIKE and regular expressions on text. */
export const TRIGRAM_OPCLASS = 'gin_trgm_ops';

export function accessMethodCandidates(atoms: readonly ConditionAtom[]): MethodCandidate[] {
  const out: MethodCandidate[] = [];
  for (const atom of atoms) {
    if (atom.kind !== 'operator') continue;
    const key = atom.column !== null ? { column: atom.column } : { expression: atom.expression ?? '' };
    const target = atom.column ?? atom.expression ?? '';
    const type = castType(atom.constant ?? '');
    const why = `${target} ${atom.operator} … needs`;
    if (JSONB_OPERATORS.has(atom.operator) && (type === 'jsonb' || atom.operator !== '@>')) {
      // jsonb_path_ops is smaller and faster for @> but serves no key-existence test.
      const opclass = atom.operator === '@>' ? { opclass: 'jsonb_path_ops' } : {};
      out.push({ keys: [{ ...key, ...opclass }], method: 'gin', uncertainty: 'access-method', reason: `${why} a GIN index` });
    } else if (ARRAY_OPERATORS.has(atom.operator) && type?.endsWith('[]')) {
      out.push({ keys: [key], method: 'gin', uncertainty: 'access-method', reason: `${why} a GIN index (array)` });
    } else if (atom.operator === '@@') {
      out.push({ keys: [key], method: 'gin', uncertainty: 'access-method', reason: `${why} a GIN index (full-text search)` });
    } else if (PATTERN_OPERATORS.has(atom.operator)) {
      out.push({ keys: [{ ...key, opclass: TRIGRAM_OPCLASS }], method: 'gin', uncertainty: 'access-method', reason: `${why} a trigram GIN index (pg_trgm)` });
    } else if (GIST_OPERATORS.has(atom.operator) && type !== undefined && (type.endsWith('range') || GEOMETRIC_TYPES.has(type))) {
      out.push({ keys: [key], method: 'gist', uncertainty: 'access-method', reason: `${why} a GiST index (${type})` });
    }
  }
  return out;
}

/** The type of the outermost cast of a constant as the plan prints it (`'{…}'::jsonb` → jsonb). */
function castType(constant: string): string | undefined {
  const m = /::([a-z_ ]+(?:\[\])?)\)*$/.exec(constant.trim());
  return m ? m[1]!.trim() : undefined;
}
