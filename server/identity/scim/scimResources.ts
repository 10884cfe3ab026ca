import { z } from 'zod';

export const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const listSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const errorSchema = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** An error in SCIM's own shape (RFC 7644 §3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: 'invalidFilter' | 'invalidValue' | 'invalidSyntax' | 'invalidPath' | 'uniqueness' | 'mutability' | 'noTarget',
  ) {
    super(message);
    this.name = 'ScimError';
  }

  toJSON() {
    return {
      schemas: [errorSchema],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  active: boolean;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  groups: { value: string; display: string }[];
}

export interface GroupRow {
  id: string;
  name: string;
  external_id: string | null;
  created_at: Date;
  members: { value: string; display: string }[] | null;
}

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName?: string; familyName?: string };
  displayName: string;
  emails: { value: string; primary?: boolean; type?: string }[];
  active: boolean | string;
  groups?: { value: string; display: string }[];
  meta: Record<string, string>;
  [attribute: string]: unknown;
}

export interface ScimGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; display?: string }[];
  meta: Record<string, string>;
  [attribute: string]: unknown;
}

export function userResource(row: UserRow, baseUrl: string): ScimUser {
  return {
    schemas: [userSchema],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.email,
    name: { formatted: row.name },
    displayName: row.name,
    emails: [{ value: row.email, primary: true, type: 'work' }],
    active: row.active,
    groups: row.groups,
    meta: {
      resourceType: 'User',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
    },
  };
}

export function groupResource(row: GroupRow, baseUrl: string): ScimGroup {
  return {
    schemas: [groupSchema],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.name,
    ...(row.members ? { members: row.members } : {}),
    meta: {
      resourceType: 'Group',
      created: row.created_at.toISOString(),
      lastModified: row.created_at.toISOString(),
      location: `${baseUrl}/Groups/${row.id}`,
    },
  };
}

const emails = z
  .array(
    z
      .object({ value: z.string().max(320), primary: z.union([z.boolean(), z.string()]).optional(), type: z.string().max(100).optional() })
      .loose(),
  )
  .max(100);
const name = z
  .object({
    formatted: z.string().max(500).optional(),
    givenName: z.string().max(200).optional(),
    familyName: z.string().max(200).optional(),
  })
  .loose();
/** Entra ID sends booleans as the strings "True" and "False". */
const scimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i, 'must be true or false')
    .transform((value) => value.toLowerCase() === 'true'),
]);

/** The user attributes Tapeout keeps, from a SCIM User body; anything else the provider sends is ignored. */
export const userInput = z
  .object({
    userName: z.string().trim().min(1, 'userName is required').max(320),
    externalId: z.string().max(500).optional().nullable(),
    name: name.optional(),
    displayName: z.string().max(200).optional().nullable(),
    emails: emails.optional(),
    active: scimBoolean.optional(),
  })
  .loose()
  .transform((body) => ({
    email: emailOf(body),
    name: (body.displayName || body.name?.formatted || [body.name?.givenName, body.name?.familyName].filter(Boolean).join(' '))
      .trim()
      .slice(0, 200),
    externalId: body.externalId ?? null,
    active: body.active ?? true,
  }))
  .refine((user) => z.email().safeParse(user.email).success, { message: 'userName or a primary email must be an email address' });

export type UserInput = z.output<typeof userInput>;

function emailOf(body: { userName: string; emails?: z.infer<typeof emails> }): string {
  const primary =
    body.emails?.find((email) => email.primary === true || email.primary === 'true' || email.primary === 'True') ?? body.emails?.[0];
  return (body.userName.includes('@') ? body.userName : (primary?.value ?? body.userName)).trim();
}

const members = z.array(z.object({ value: z.string().min(1).max(100) }).loose());

export const groupInput = z
  .object({
    displayName: z.string().trim().min(1, 'displayName is required').max(200),
    externalId: z.string().max(500).optional().nullable(),
    members: members.optional(),
  })
  .loose()
  .transform((body) => ({
    name: body.displayName,
    externalId: body.externalId ?? null,
    memberIds: body.members?.map((member) => member.value),
  }));

export type GroupInput = z.output<typeof groupInput>;

export const patchRequest = z
  .object({
    schemas: z.array(z.string()).refine((list) => list.includes(patchSchema), { message: `schemas must include ${patchSchema}` }),
    Operations: z
      .array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }).loose())
      .min(1, 'Operations must not be empty')
      .max(1000),
  })
  .loose();

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return { schemas: [listSchema], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
