import { z } from 'zod';
import type { ScimUserFields } from '../../users/userRepository.ts';
import { enterpriseUserSchema, groupSchema, userSchema } from './scimAttributes.ts';
import type { Json } from './scimCanonical.ts';
import { ScimError } from './ScimError.ts';

export const listSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  active: boolean;
  external_id: string | null;
  user_name: string | null;
  scim_profile: Json | null;
  created_at: Date;
  updated_at: Date;
  groups: { value: string; display: string }[];
}

export interface GroupRow {
  id: string;
  name: string;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  members: { value: string; display: string }[] | null;
}

/**
 * A user as SCIM shows them. What SCIM provisioned is returned as it was stored; a user made in
 * Tapeout (no SCIM profile) shows their email and name.
 */
export function userResource(row: UserRow, baseUrl: string): Json {
  const profile = row.scim_profile;
  const made = profile
    ? profile
    : {
        ...(row.name ? { name: { formatted: row.name }, displayName: row.name } : {}),
        emails: [{ value: row.email, type: 'work', primary: true }],
      };
  return {
    schemas: [userSchema, ...(profile?.[enterpriseUserSchema] ? [enterpriseUserSchema] : [])],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.user_name ?? row.email,
    ...made,
    active: row.active,
    groups: row.groups.map((group) => ({ ...group, $ref: `${baseUrl}/Groups/${group.value}`, type: 'direct' })),
    meta: meta('User', row, `${baseUrl}/Users/${row.id}`),
  };
}

export function groupResource(row: GroupRow, baseUrl: string): Json {
  return {
    schemas: [groupSchema],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.name,
    ...(row.members
      ? { members: row.members.map((member) => ({ ...member, $ref: `${baseUrl}/Users/${member.value}`, type: 'User' })) }
      : {}),
    meta: meta('Group', row, `${baseUrl}/Groups/${row.id}`),
  };
}

function meta(resourceType: string, row: { created_at: Date; updated_at: Date }, location: string) {
  return { resourceType, created: row.created_at.toISOString(), lastModified: row.updated_at.toISOString(), location };
}

/**
 * What Tapeout stores of a canonical SCIM User: the email is the address the user signs in with
 * (userName when it is one, else the primary, or work, or first email); the profile is every other
 * attribute, as SCIM returns it.
 */
export interface StoredUser extends ScimUserFields {
  profile: Json;
  active: boolean;
  password: string | undefined;
}

const emailAddress = z.email().max(320);
const isEmail = (value: unknown): value is string => typeof value === 'string' && emailAddress.safeParse(value.trim()).success;

export function storedUser(resource: Json): StoredUser {
  const { userName, externalId, active, password, ...profile } = resource;
  if (typeof userName !== 'string' || !userName.trim()) throw new ScimError(400, 'userName is required.', 'invalidValue');
  const emails = (profile.emails as Json[] | undefined) ?? [];
  const email = [
    userName,
    emails.find((entry) => entry.primary === true)?.value,
    emails.find((entry) => typeof entry.type === 'string' && entry.type.toLowerCase() === 'work')?.value,
    ...emails.map((entry) => entry.value),
  ].find(isEmail);
  if (!email)
    throw new ScimError(
      400,
      `userName "${userName.slice(0, 100)}" is not an email address and emails has none: Tapeout signs people in by email.`,
      'invalidValue',
    );
  const name = (profile.name as Json | undefined) ?? {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  const givenName = text(name.givenName);
  const familyName = text(name.familyName);
  return {
    email: email.trim(),
    name: (text(profile.displayName) ?? text(name.formatted) ?? fullName(givenName, familyName)).slice(0, 200),
    userName: userName.trim(),
    givenName,
    familyName,
    externalId: typeof externalId === 'string' ? externalId : null,
    active: active !== false,
    password: typeof password === 'string' ? password : undefined,
    profile,
  };
}

const eastAsian = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;

/** A name from its parts: family name first and no space in Chinese, Japanese and Korean (陈美), given name first otherwise. */
function fullName(givenName: string | null, familyName: string | null): string {
  if (givenName && familyName && eastAsian.test(givenName) && eastAsian.test(familyName)) return `${familyName}${givenName}`;
  return [givenName, familyName].filter(Boolean).join(' ');
}

/** What Tapeout stores of a canonical SCIM Group. */
export interface StoredGroup {
  name: string;
  externalId: string | null;
  memberIds: string[];
}

export function storedGroup(resource: Json): StoredGroup {
  const displayName = typeof resource.displayName === 'string' ? resource.displayName.trim() : '';
  if (!displayName) throw new ScimError(400, 'displayName is required.', 'invalidValue');
  if (displayName.length > 200) throw new ScimError(400, 'displayName is longer than 200 characters.', 'invalidValue');
  const members = (resource.members as Json[] | undefined) ?? [];
  const memberIds = members.map((member, index) => {
    if (typeof member.value !== 'string' || !member.value)
      throw new ScimError(400, `members[${index}] needs a value (a user id).`, 'invalidValue');
    return member.value;
  });
  return { name: displayName, externalId: typeof resource.externalId === 'string' ? resource.externalId : null, memberIds };
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return { schemas: [listSchema], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
