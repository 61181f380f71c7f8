import { graphql } from '../../graphql/graphql.ts';

/**
 * One page of the audit log, newest first; the condition is an equality filter (action, actor).
 * The members and API keys name the actors of rows written inside the database (state changes),
 * which carry the user's or key's id and no label.
 */
export const AuditLogs = graphql(`
  query AuditLogs($condition: AuditLogCondition, $first: Int!, $offset: Int!) {
    allAuditLogs(condition: $condition, orderBy: [AT_DESC], first: $first, offset: $offset) {
      totalCount
      nodes {
        rowId
        at
        actorLabel
        actorUserId
        actorApiKeyId
        action
        objectType
        objectId
        result
        clientAddress
        details
      }
    }
    allMembers {
      nodes {
        userId
        email
      }
    }
    allApiKeys {
      nodes {
        rowId
        name
      }
    }
  }
`);
