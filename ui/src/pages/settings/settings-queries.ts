import { graphql } from '../../graphql/graphql.ts';

export const SettingsTargets = graphql(`
  query SettingsTargets {
    allTargets(orderBy: [NAME_ASC]) {
      nodes {
        rowId
        name
        status
        statusMessage
        createdAt
        lastSnapshotAt
        lastCheck
        lastCheckAt
        sandboxStrategy
        sandboxSampleFraction
        autoValidate
        autoApply
        applyWindowStart
        applyWindowMinutes
        slowThresholdMs
        slowMinCalls
        snapshotIntervalS
      }
    }
  }
`);

export const SettingsMembers = graphql(`
  query SettingsMembers {
    allMembers(orderBy: [EMAIL_ASC]) {
      nodes {
        userId
        email
        displayName
        role
        createdAt
      }
    }
  }
`);

export const SettingsApiKeys = graphql(`
  query SettingsApiKeys {
    allApiKeys(orderBy: [CREATED_AT_DESC]) {
      nodes {
        rowId
        name
        prefix
        role
        createdAt
        lastUsedAt
        revokedAt
      }
    }
  }
`);

export const TestTargetConnection = graphql(`
  mutation TestTargetConnection($targetId: UUID!) {
    testTargetConnection(input: { targetId: $targetId }) {
      targetId
      reachable
      ready
      error
      serverVersion
      checkedAt
      checks {
        id
        status
        message
        fix
      }
    }
  }
`);

/** The connection string goes in and never comes back: the payload names the target only. */
export const CreateTarget = graphql(`
  mutation CreateTarget($name: String!, $connectionString: String!) {
    createTarget(input: { name: $name, connectionString: $connectionString }) {
      targetId
      target {
        rowId
        name
      }
    }
  }
`);

export const DeleteTarget = graphql(`
  mutation DeleteTarget($targetId: UUID!) {
    deleteTarget(input: { targetId: $targetId }) {
      result
    }
  }
`);

export const SetTargetPolicy = graphql(`
  mutation SetTargetPolicy($input: SetTargetPolicyInput!) {
    setTargetPolicy(input: $input) {
      result {
        rowId
        sandboxStrategy
        sandboxSampleFraction
        autoValidate
        autoApply
        applyWindowStart
        applyWindowMinutes
      }
    }
  }
`);

export const SetTargetThresholds = graphql(`
  mutation SetTargetThresholds($input: SetTargetThresholdsInput!) {
    setTargetThresholds(input: $input) {
      result {
        rowId
        slowThresholdMs
        slowMinCalls
        snapshotIntervalS
      }
    }
  }
`);

export const AddMember = graphql(`
  mutation AddMember($email: String!, $role: String!) {
    addMember(input: { email: $email, role: $role }) {
      result {
        userId
        email
        role
      }
    }
  }
`);

export const SetMemberRole = graphql(`
  mutation SetMemberRole($userId: UUID!, $role: String!) {
    setMemberRole(input: { userId: $userId, role: $role }) {
      result {
        userId
        role
      }
    }
  }
`);

export const RemoveMember = graphql(`
  mutation RemoveMember($userId: UUID!) {
    removeMember(input: { userId: $userId }) {
      result
    }
  }
`);

/** The key is in this one answer only (the server keeps its hash). */
export const CreateApiKey = graphql(`
  mutation CreateApiKey($name: String!, $role: String!) {
    createApiKey(input: { name: $name, role: $role }) {
      result {
        rowId
        prefix
        key
      }
    }
  }
`);

export const RevokeApiKey = graphql(`
  mutation RevokeApiKey($apiKeyId: UUID!) {
    revokeApiKey(input: { apiKeyId: $apiKeyId }) {
      result {
        rowId
        revokedAt
      }
    }
  }
`);
