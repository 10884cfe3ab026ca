import { filter as matcher, parse, type Filter } from 'scim2-parse-filter';
import { ScimError } from './ScimError.ts';

/**
 * A SCIM filter (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter. The lookups identity providers
 * make before every create (`userName eq`, `externalId eq`, `displayName eq`, `id eq`) become an
 * indexed SQL condition; any other valid filter is applied to the resources as SCIM shows them.
 */
export type CompiledFilter =
  | { kind: 'all' }
  | { kind: 'indexed'; value: string; sql(alias: 'u' | 'g', parameter: string): string }
  | { kind: 'memory'; matches(resource: object): boolean };

const indexed: Record<'User' | 'Group', Record<string, (alias: string, parameter: string) => string>> = {
  User: {
    username: (a, p) => `lower(coalesce(${a}.user_name, ${a}.email)) = lower(${p})`,
    'emails.value': (a, p) =>
      `(lower(${a}.email) = lower(${p}) OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(${a}.scim_profile->'emails', '[]')) AS e WHERE lower(e->>'value') = lower(${p})))`,
    externalid: (a, p) => `${a}.external_id = ${p}`,
    id: (a, p) => `${a}.id::text = ${p}`,
  },
  Group: {
    displayname: (a, p) => `lower(${a}.name) = lower(${p})`,
    externalid: (a, p) => `${a}.external_id = ${p}`,
    id: (a, p) => `${a}.id::text = ${p}`,
  },
};

export function compileFilter(raw: string | undefined, resourceType: 'User' | 'Group'): CompiledFilter {
  if (raw === undefined || raw.trim() === '') return { kind: 'all' };
  if (raw.length > 2000) throw new ScimError(400, 'The filter is longer than 2,000 characters.', 'invalidFilter');
  let ast: Filter;
  try {
    ast = parse(raw);
  } catch (error) {
    throw new ScimError(400, `The filter cannot be parsed: ${(error as Error).message}`, 'invalidFilter');
  }
  if (ast.op === 'eq' && 'attrPath' in ast && 'compValue' in ast && typeof ast.compValue === 'string') {
    const sql = indexed[resourceType][ast.attrPath.toLowerCase()];
    if (sql) return { kind: 'indexed', value: ast.compValue, sql };
  }
  const test = matcher(ast);
  return { kind: 'memory', matches: (resource) => test(resource) };
}
