/**
 * The index hygiene advisor's thresholds. Each default says where it comes from; tests pass smaller
 * ones through `indexHygieneAdvisorWith(options)` so small tables can stand for large ones.
 */
export interface IndexHygieneOptions {
  /** unused_index: the least size (bytes, pg_relation_size summed over partitions) worth proposing a drop for. */
  minUnusedBytes: number;
  /** missing_fk_index: how many matching pg_stat_statements entries the evidence lists (most called first). */
  maxEvidenceStatements: number;
}

export const DEFAULT_INDEX_HYGIENE_OPTIONS: IndexHygieneOptions = {
  // 1 MiB = 128 pages of 8 kB. Below it an index costs next to nothing to keep (space, write
  // work), and zero scans mostly mean the table is still so small that the planner prefers reading
  // it whole; the index earns its keep once the table grows. PgHero applies no size floor and
  // lists such indexes too; we would rather not propose a drop that saves nothing.
  minUnusedBytes: 1024 * 1024,
  maxEvidenceStatements: 5,
};
