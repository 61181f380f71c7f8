import { jsonPgSmartTags } from 'postgraphile/utils';

/**
 * Views carry no keys of their own, so PostGraphile is told the ones their base tables have: rows
 * get `xByRowId` lookups, node ids and relations. Kept in code (not in COMMENTs) beside the preset
 * that depends on them.
 */
export const ApiSmartTagsPlugin = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      'optischema_api.tenant': { tags: { primaryKey: 'id' } },
      'optischema_api.members': { tags: { primaryKey: 'user_id' } },
      'optischema_api.targets': { tags: { primaryKey: 'id' } },
      'optischema_api.recommendations': {
        tags: { primaryKey: 'id', foreignKey: '(target_id) references optischema_api.targets (id)' },
      },
      'optischema_api.recommendation_notes': {
        tags: { primaryKey: 'id', foreignKey: '(recommendation_id) references optischema_api.recommendations (id)' },
      },
      'optischema_api.api_keys': { tags: { primaryKey: 'id' } },
      'optischema_api.audit_log': { tags: { primaryKey: 'id' } },
      'optischema_api.target_overview': { tags: { primaryKey: 'target_id' } },
      'optischema_api.query_texts': { tags: { primaryKey: 'target_id,queryid' } },
      'optischema_api.query_plans': { tags: { primaryKey: 'id' } },
      'optischema_api.slow_queries': { tags: { primaryKey: 'id' } },
      'optischema_api.applied_changes': { tags: { primaryKey: 'id' } },
      'optischema_api.sandboxes': { tags: { primaryKey: 'id' } },
    },
  },
});
