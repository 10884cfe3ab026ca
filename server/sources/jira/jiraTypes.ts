/** The shapes of Jira's REST answers that the connector reads (Cloud v3 and Data Center v2). */

export interface JiraUser {
  accountId?: string;
  name?: string;
  emailAddress?: string;
  displayName?: string;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    updated?: string;
    status?: { name: string };
    issuetype?: { name: string };
    priority?: { name: string };
    assignee?: JiraUser | null;
    reporter?: JiraUser | null;
    security?: { id: string; name: string } | null;
    comment?: { comments: { id: string; author?: JiraUser; created?: string }[] };
    [field: string]: unknown;
  };
  renderedFields?: {
    description?: string | null;
    comment?: { comments: { id: string; body?: string }[] };
    [field: string]: unknown;
  };
  names?: Record<string, string>;
}

/** Cloud's enhanced search: token pagination. */
export interface CloudSearchPage {
  issues: JiraIssue[];
  nextPageToken?: string;
  isLast?: boolean;
}

/** Data Center's search: offset pagination. */
export interface OffsetSearchPage {
  issues: JiraIssue[];
  startAt: number;
  maxResults: number;
  total: number;
}

/** Who a permission or security level is given to. */
export interface PermissionHolder {
  type: string;
  parameter?: string;
  value?: string;
}

export interface RoleActor {
  type: 'atlassian-user-role-actor' | 'atlassian-group-role-actor';
  name?: string;
  displayName?: string;
  actorUser?: { accountId?: string };
  actorGroup?: { name?: string; groupId?: string };
}
