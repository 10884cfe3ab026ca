/**
 * The SCIM schemas Tapeout serves (RFC 7643 §4, §8.7) as data: what /Schemas describes is what
 * bodies and PATCH paths are checked against, so an attribute listed there is stored and returned,
 * and one that is not is refused rather than dropped.
 */

export const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const enterpriseUserSchema = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export type ResourceKind = 'User' | 'Group';

export interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'binary';
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default';
  uniqueness: 'none' | 'server';
  description: string;
  subAttributes?: Attribute[];
  referenceTypes?: string[];
  canonicalValues?: string[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: Attribute[];
}

const attribute = (name: string, type: Attribute['type'], description: string, extra: Partial<Attribute> = {}): Attribute => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  description,
  ...extra,
});

const complex = (name: string, description: string, subAttributes: Attribute[], extra: Partial<Attribute> = {}) =>
  attribute(name, 'complex', description, { subAttributes, ...extra });

/** The sub-attributes of RFC 7643's plain multi-valued attributes (emails, phoneNumbers, roles, …). */
const valueList = (name: string, description: string, valueType: Attribute['type'] = 'string', extra: Partial<Attribute> = {}) =>
  complex(
    name,
    description,
    [
      attribute('value', valueType, `The ${name} value`),
      attribute('display', 'string', 'A human-readable name'),
      attribute('type', 'string', 'A label such as "work"'),
      attribute('primary', 'boolean', 'The preferred value'),
    ],
    { multiValued: true, ...extra },
  );

const user: SchemaDefinition = {
  id: userSchema,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', 'string', 'Unique identifier for the user; an email, or any name with an email in emails', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's name", [
      attribute('formatted', 'string', 'The full name'),
      attribute('familyName', 'string', 'The family name'),
      attribute('givenName', 'string', 'The given name'),
      attribute('middleName', 'string', 'The middle name(s)'),
      attribute('honorificPrefix', 'string', 'The honorific prefix(es)'),
      attribute('honorificSuffix', 'string', 'The honorific suffix(es)'),
    ]),
    attribute('displayName', 'string', 'The name shown in Tapeout'),
    attribute('nickName', 'string', 'The casual way to address the user'),
    attribute('profileUrl', 'reference', "A URL of the user's online profile", { referenceTypes: ['external'] }),
    attribute('title', 'string', "The user's title"),
    attribute('userType', 'string', 'The relationship to the organization'),
    attribute('preferredLanguage', 'string', 'The preferred written or spoken language'),
    attribute('locale', 'string', 'The default location, for localizing'),
    attribute('timezone', 'string', 'The time zone, in IANA format'),
    attribute('active', 'boolean', 'False ends every session, key and socket of the user at once'),
    attribute('password', 'string', 'A password to sign in with; stored hashed, never returned', {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    valueList('emails', 'Email addresses; the primary one (or userName) is the address Tapeout signs in with'),
    valueList('phoneNumbers', 'Phone numbers'),
    valueList('ims', 'Instant messaging addresses'),
    valueList('photos', 'URLs of photos', 'reference'),
    complex(
      'addresses',
      'Physical mailing addresses',
      ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type']
        .map((name) => attribute(name, 'string', `The ${name} part of the address`))
        .concat(attribute('primary', 'boolean', 'The preferred address')),
      { multiValued: true },
    ),
    complex(
      'groups',
      "The groups the user belongs to, changed through the groups' members",
      [
        attribute('value', 'string', 'The group id', { mutability: 'readOnly' }),
        attribute('$ref', 'reference', 'The group URI', { mutability: 'readOnly', referenceTypes: ['Group'] }),
        attribute('display', 'string', "The group's name", { mutability: 'readOnly' }),
        attribute('type', 'string', 'direct', { mutability: 'readOnly' }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    valueList('entitlements', 'Entitlements'),
    valueList('roles', 'Roles (Tapeout grants admin through SCIM_ADMIN_GROUP, not this)'),
    valueList('x509Certificates', 'Certificates', 'binary'),
  ],
};

const enterpriseUser: SchemaDefinition = {
  id: enterpriseUserSchema,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((name) =>
      attribute(name, 'string', `The user's ${name}`),
    ),
    complex('manager', "The user's manager", [
      attribute('value', 'string', "The manager's id"),
      attribute('$ref', 'reference', "The manager's URI", { referenceTypes: ['User'] }),
      attribute('displayName', 'string', "The manager's name", { mutability: 'readOnly' }),
    ]),
  ],
};

const group: SchemaDefinition = {
  id: groupSchema,
  name: 'Group',
  description: 'Group',
  attributes: [
    attribute('displayName', 'string', 'The group name, unique in Tapeout', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      'The users in the group (groups cannot be members)',
      [
        attribute('value', 'string', 'The user id', { mutability: 'immutable' }),
        attribute('$ref', 'reference', 'The user URI', { mutability: 'immutable', referenceTypes: ['User'] }),
        attribute('display', 'string', "The user's email", { mutability: 'readOnly' }),
        attribute('type', 'string', 'User', { mutability: 'immutable', canonicalValues: ['User'] }),
      ],
      { multiValued: true },
    ),
  ],
};

/** id, externalId and meta, which every resource has (RFC 7643 §3.1). */
const common: Attribute[] = [
  attribute('id', 'string', 'Tapeout’s id', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  attribute('externalId', 'string', "The identity provider's id", { caseExact: true }),
  complex(
    'meta',
    'Resource metadata',
    ['resourceType', 'created', 'lastModified', 'location', 'version'].map((name) =>
      attribute(name, name === 'created' || name === 'lastModified' ? 'dateTime' : 'string', name, { mutability: 'readOnly' }),
    ),
    { mutability: 'readOnly' },
  ),
];

export const schemaDefinitions: readonly SchemaDefinition[] = [user, enterpriseUser, group];

export function coreSchemaOf(kind: ResourceKind): SchemaDefinition {
  return kind === 'User' ? user : group;
}

export function extensionsOf(kind: ResourceKind): SchemaDefinition[] {
  return kind === 'User' ? [enterpriseUser] : [];
}

/** The attributes at the top of a resource of this kind, common ones included. */
export function topAttributes(kind: ResourceKind): Attribute[] {
  return [...common, ...coreSchemaOf(kind).attributes];
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
export function findAttribute(attributes: readonly Attribute[], name: string): Attribute | undefined {
  const lower = name.toLowerCase();
  return attributes.find((candidate) => candidate.name.toLowerCase() === lower);
}
