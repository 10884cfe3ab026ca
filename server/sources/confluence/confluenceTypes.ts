/** The shapes of Confluence's REST answers that the connector reads (Cloud and Data Center share the v1 ones). */

export interface RestrictionSubjects {
  user?: { results?: { accountId?: string; email?: string; username?: string; userKey?: string; displayName?: string }[] };
  group?: { results?: { name: string; id?: string }[] };
}

export interface ContentSummary {
  id: string;
  type: 'page' | 'blogpost' | 'attachment';
  status?: string;
  title: string;
  version?: { number: number; when?: string };
  ancestors?: { id: string; title: string }[];
  container?: { id: string; type?: string };
  space?: { key: string; name?: string };
  restrictions?: { read?: { restrictions?: RestrictionSubjects } };
  extensions?: { mediaType?: string; fileSize?: number };
  body?: { storage?: { value: string } };
  _links?: { webui?: string; download?: string };
}

/** One page of a v1 listing (CQL search): offset (Data Center) or cursor (Cloud) pagination through `_links.next`. */
export interface ContentPage {
  results: ContentSummary[];
  _links?: { next?: string; base?: string; context?: string };
}

/** A Cloud v2 list: cursor pagination through `_links.next`. */
export interface V2List<T> {
  results: T[];
  _links?: { next?: string };
}

export interface SpacePermission {
  principal: { type: 'user' | 'group' | 'role'; id: string };
  operation: { key: string; targetType: string };
}
