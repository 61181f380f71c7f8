/**
 * The index candidate: one index worth costing, as the advisor's stages pass it along
 * (from-plan.ts proposes, query/evaluate-query.ts costs, workload/ selects, recommendation/ words
 * it). A type module of its own so that the modules that read and write candidates do not import
 * one another for it.
 */
export interface IndexKey {
  /** A column name, unquoted. */
  column?: string;
  /** An expression over the table's columns, as SQL text with identifiers quoted: `lower(email)`. */
  expression?: string;
  descending?: boolean;
  /** NULLS FIRST (true) or NULLS LAST (false), only where it differs from the direction's default
   * (ASC puts NULLs last, DESC first): `ORDER BY due_date DESC NULLS LAST` needs it said. */
  nullsFirst?: boolean;
  /** An operator class other than the type's default, e.g. text_pattern_ops for LIKE 'prefix%'
   * under a collation other than C. */
  opclass?: string;
}

/** Why the what-if estimate of a candidate cannot be trusted, so that measurement (a real build in
 * the sandbox) must decide: `expression`: hypopg has no statistics for a new expression, so the
 * planner guesses its selectivity; `access-method`: hypopg cannot cost GIN or GiST at all and
 * misjudges BRIN. */
export type Uncertainty = 'expression' | 'access-method';

export interface IndexCandidate {
  schema: string;
  table: string;
  /** Access method; btree when absent. */
  method?: 'btree' | 'gin' | 'gist' | 'brin';
  /** Set when what-if costing cannot judge this candidate (see Uncertainty). */
  uncertainty?: Uncertainty;
  /** Key parts in order: a column name (unquoted) or an expression text such as lower(email). */
  keys: IndexKey[];
  /** INCLUDE columns (unquoted): carried in the index so an index-only scan can answer the query. */
  include?: string[];
  /** A partial index's WHERE clause, as SQL text over the table's columns: `status = 'pending'::text`. */
  predicate?: string;
  /** The column the predicate tests (its cardinality decides whether the partial index fits). */
  predicateColumn?: string;
  /** What kind of test the predicate is: a constant of the text (IS NULL, IS NOT NULL, a boolean
   * column) fits whatever the column's cardinality; an equality value fits only a flag- or
   * status-like column (partial-predicate.ts). */
  predicateKind?: 'null-test' | 'bool' | 'value';
  /** A covering candidate: the rows the scan returns (planner estimate), which an index-only scan
   * would read from the index. */
  scanRows?: number;
  /** The candidate returns rows in a Sort's order (its key directions and NULLs placement matter). */
  ordered?: boolean;
  /** How many leading keys are equality lookups, whose order is free: the costing step puts the
   * most selective first (fewest rows per value, from pg_stats). */
  equalityPrefix?: number;
  /** Why: the plan facts it rests on, for the rationale ("Seq Scan on orders removes 99% of rows; filter customer_id = $1 AND status = $2"). */
  reason: string;
}
