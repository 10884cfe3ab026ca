import { enterpriseUserSchema, groupSchema, schemaDefinitions, userSchema } from './scimAttributes.ts';
import { ScimError } from './ScimError.ts';
import { listResponse } from './scimResources.ts';

/** What this SCIM service supports (RFC 7643 §5): PATCH, filters and passwords yes; bulk, sort and ETags no. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'The SCIM_TOKEN of this Tapeout instance', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

const types = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A person who uses Tapeout',
    schema: userSchema,
    schemaExtensions: [{ schema: enterpriseUserSchema, required: false }],
  },
  { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A group that collections are granted to', schema: groupSchema },
];

function describeType(type: (typeof types)[number], baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    ...type,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
  };
}

export function resourceTypes(baseUrl: string) {
  return listResponse(
    types.map((type) => describeType(type, baseUrl)),
    types.length,
    1,
  );
}

export function resourceType(id: string, baseUrl: string) {
  const type = types.find((candidate) => candidate.id === id);
  if (!type) throw new ScimError(404, `No resource type ${id}: there are User and Group.`);
  return describeType(type, baseUrl);
}

function describeSchema(schema: (typeof schemaDefinitions)[number], baseUrl: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...schema,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** The attributes Tapeout keeps: anything else a provider sends is refused with a 400 naming it. */
export function schemas(baseUrl: string) {
  return listResponse(
    schemaDefinitions.map((schema) => describeSchema(schema, baseUrl)),
    schemaDefinitions.length,
    1,
  );
}

export function schemaById(uri: string, baseUrl: string) {
  const schema = schemaDefinitions.find((candidate) => candidate.id.toLowerCase() === uri.toLowerCase());
  if (!schema) throw new ScimError(404, `No schema ${uri}: see /Schemas.`);
  return describeSchema(schema, baseUrl);
}
