-- The latest EXPLAIN (ANALYZE, BUFFERS) plan of each statement of one target ($1) captured in the
-- last $2 days, the $3 most recently captured, with the statement's text. Only 'analyze' plans:
-- every insight reads actual rows, loops or timings, which a generic plan has none of.
-- capture.ts stores the plan as EXPLAIN returned it, an array of one root, and the values it ran
-- with in parameters ({source, values}).
select p.queryid::text as queryid, p.captured_at, p.plan, p.parameters, t.query
from (
  select distinct on (queryid) target_id, queryid, captured_at, plan, parameters
  from optischema.query_plans
  where target_id = $1 and kind = 'analyze' and captured_at > now() - make_interval(days => $2)
  order by queryid, captured_at desc, id desc
) p
left join optischema.query_texts t on t.target_id = p.target_id and t.queryid = p.queryid
order by p.captured_at desc, p.queryid
limit $3
