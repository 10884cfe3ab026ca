import { isObject } from './scimCanonical.ts';
import { ScimError } from './ScimError.ts';

export const searchRequestSchema = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const maxCount = 1000;

/** A list or search request (RFC 7644 §3.4.2, §3.4.3), from a query string or a SearchRequest body. */
export interface ListRequest {
  filter: string | undefined;
  startIndex: number;
  count: number;
  attributes: string[] | undefined;
  excludedAttributes: string[] | undefined;
}

/** GET /Users?filter=…&startIndex=…&count=…&attributes=a,b */
export function listRequestFromQuery(query: Record<string, unknown>): ListRequest {
  const single = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ScimError(400, `${name} must be given once.`, 'invalidValue');
    return value;
  };
  refuseSorting(single('sortBy'), single('sortOrder'));
  const names = (name: string) =>
    single(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return {
    filter: single('filter'),
    startIndex: startIndexOf(single('startIndex')),
    count: countOf(single('count')),
    attributes: names('attributes'),
    excludedAttributes: names('excludedAttributes'),
  };
}

/** POST /.search with a SearchRequest body. */
export function listRequestFromBody(body: unknown): ListRequest {
  if (!isObject(body)) throw new ScimError(400, 'A search body must be a SearchRequest JSON object.', 'invalidSyntax');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(searchRequestSchema))
    throw new ScimError(400, `schemas must include ${searchRequestSchema}.`, 'invalidSyntax');
  const known = ['schemas', 'filter', 'startIndex', 'count', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder'];
  const extra = Object.keys(body).find((key) => !known.includes(key));
  if (extra) throw new ScimError(400, `${extra} is not part of a SearchRequest.`, 'invalidSyntax');
  refuseSorting(body.sortBy, body.sortOrder);
  if (body.filter !== undefined && typeof body.filter !== 'string') throw new ScimError(400, 'filter must be a string.', 'invalidValue');
  const names = (name: 'attributes' | 'excludedAttributes') => {
    const value = body[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
      throw new ScimError(400, `${name} must be a list of attribute names.`, 'invalidValue');
    return value as string[];
  };
  const number = (name: 'startIndex' | 'count') => {
    const value = body[name];
    if (value !== undefined && typeof value !== 'number') throw new ScimError(400, `${name} must be a number.`, 'invalidValue');
    return value === undefined ? undefined : String(value);
  };
  return {
    filter: body.filter,
    startIndex: startIndexOf(number('startIndex')),
    count: countOf(number('count')),
    attributes: names('attributes'),
    excludedAttributes: names('excludedAttributes'),
  };
}

function refuseSorting(sortBy: unknown, sortOrder: unknown): void {
  if (sortBy !== undefined || sortOrder !== undefined)
    throw new ScimError(
      400,
      'Sorting is not supported (ServiceProviderConfig says sort: false); results come in creation order.',
      'invalidValue',
    );
}

function wholeNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ScimError(400, `${name} must be a whole number.`, 'invalidValue');
  return value;
}

/** Below 1 is read as 1 (RFC 7644 §3.4.2.4). */
function startIndexOf(raw: string | undefined): number {
  return raw === undefined ? 1 : Math.min(Math.max(1, wholeNumber('startIndex', raw)), 1_000_000_000);
}

/** Negative is read as 0; above the maximum, the maximum (ServiceProviderConfig's filter.maxResults). */
function countOf(raw: string | undefined): number {
  return raw === undefined ? 100 : Math.min(Math.max(0, wholeNumber('count', raw)), maxCount);
}
