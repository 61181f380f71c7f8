/**
 * Built-in functions a read-only statement may call: PostgreSQL's own functions that change
 * nothing outside the statement (no writes, no locks kept, no signals, no sequence steps).
 *
 * This is deliberately not "stable or immutable": `random()`, `clock_timestamp()` and `pg_sleep()`
 * are volatile yet harmless, while a user's function of any volatility can write. The parser sees
 * only names, not the function the server will pick, so the list is a first guard: a name is
 * accepted only unqualified or qualified with `pg_catalog`, and a user function that shadows one of
 * these names (say `public.lower(int)`) is caught by the second guard, the READ ONLY transaction.
 * Anything not listed (nextval, pg_advisory_lock, pg_terminate_backend, dblink, user functions)
 * makes a statement "not provably read-only" and keeps EXPLAIN ANALYZE off it.
 */
export const SIDE_EFFECT_FREE_FUNCTIONS: ReadonlySet<string> = new Set([
  // Aggregates and window functions.
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'percentile_cont', 'percentile_disc', 'mode', 'bit_and', 'bit_or',
  'corr', 'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept',
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead',
  'first_value', 'last_value', 'nth_value',
  // Text.
  'lower', 'upper', 'initcap', 'length', 'char_length', 'character_length', 'octet_length', 'bit_length',
  'substr', 'substring', 'trim', 'btrim', 'ltrim', 'rtrim', 'replace', 'concat', 'concat_ws', 'left',
  'right', 'lpad', 'rpad', 'position', 'strpos', 'split_part', 'starts_with', 'reverse', 'repeat',
  'translate', 'overlay', 'format', 'md5', 'sha256', 'encode', 'decode', 'quote_ident', 'quote_literal',
  'quote_nullable', 'regexp_replace', 'regexp_match', 'regexp_matches', 'regexp_split_to_array',
  'regexp_split_to_table', 'regexp_like', 'regexp_count', 'regexp_substr', 'to_char', 'to_number',
  'to_date', 'to_timestamp', 'ascii', 'chr', 'normalize', 'unaccent',
  // Numbers.
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'mod', 'div', 'power', 'pow', 'sqrt', 'cbrt',
  'exp', 'ln', 'log', 'log10', 'sign', 'width_bucket', 'random', 'greatest', 'least',
  // Dates and times.
  'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'timeofday', 'date_trunc',
  'date_part', 'extract', 'date_bin', 'age', 'make_date', 'make_time', 'make_timestamp',
  'make_timestamptz', 'make_interval', 'justify_days', 'justify_hours', 'justify_interval', 'timezone',
  'isfinite', 'overlaps',
  // JSON.
  'to_json', 'to_jsonb', 'row_to_json', 'array_to_json', 'json_build_object', 'jsonb_build_object',
  'json_build_array', 'jsonb_build_array', 'json_object', 'jsonb_object', 'json_extract_path',
  'jsonb_extract_path', 'json_extract_path_text', 'jsonb_extract_path_text', 'json_array_elements',
  'jsonb_array_elements', 'json_array_elements_text', 'jsonb_array_elements_text', 'json_array_length',
  'jsonb_array_length', 'json_each', 'jsonb_each', 'json_each_text', 'jsonb_each_text', 'json_object_keys',
  'jsonb_object_keys', 'json_typeof', 'jsonb_typeof', 'jsonb_set', 'jsonb_insert', 'jsonb_strip_nulls',
  'jsonb_pretty', 'jsonb_path_query', 'jsonb_path_query_array', 'jsonb_path_query_first',
  'jsonb_path_exists', 'jsonb_path_match', 'json_populate_record', 'jsonb_populate_record',
  'json_to_record', 'jsonb_to_record', 'json_to_recordset', 'jsonb_to_recordset',
  // Arrays and sets.
  'array_length', 'array_lower', 'array_upper', 'array_ndims', 'array_dims', 'cardinality', 'unnest',
  'array_position', 'array_positions', 'array_remove', 'array_replace', 'array_append', 'array_prepend',
  'array_cat', 'array_to_string', 'string_to_array', 'string_to_table', 'generate_series',
  'generate_subscripts',
  // Conditionals spelled as functions, and the one harmless wait (the statement_timeout bounds it).
  'num_nulls', 'num_nonnulls', 'pg_sleep', 'pg_sleep_for', 'gen_random_uuid',
  // Functions the grammar produces for SQL syntax (COLLATION FOR, AT TIME ZONE, IS NORMALIZED).
  'pg_collation_for', 'is_normalized', 'pg_typeof',
]);
