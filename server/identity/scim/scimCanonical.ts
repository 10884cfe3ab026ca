import { parse as parseFilter } from 'scim2-parse-filter';
import {
  coreSchemaOf,
  extensionsOf,
  findAttribute,
  topAttributes,
  type Attribute,
  type ResourceKind,
  type SchemaDefinition,
} from './scimAttributes.ts';
import { ScimError } from './ScimError.ts';

/**
 * Bodies as the schemas define them: attribute names in the schema's case, booleans as booleans
 * (Entra ID sends "True"), nulls and empty lists as unassigned (RFC 7643 §2.5), read-only
 * attributes ignored (RFC 7644 §3.3), and anything the schemas do not define refused.
 */

const maxStringLength = 2048;
const maxValues = 100;
/** A group may hold as many members as a 1 MB body carries. */
const maxMembers = 100_000;

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The canonical form of a whole resource body (POST, PUT, or a resource after PATCH). */
export function canonicalResource(kind: ResourceKind, body: unknown): Json {
  if (!isObject(body)) throw new ScimError(400, `A ${kind} must be a JSON object.`, 'invalidSyntax');
  const resource: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') {
      checkSchemas(kind, value);
      continue;
    }
    const extension = extensionNamed(kind, key);
    if (extension) {
      if (value === null) continue;
      if (!isObject(value)) throw new ScimError(400, `${extension.id} must be an object of its attributes.`, 'invalidValue');
      const attributes = canonicalComplex(extension.attributes, value, extension.id);
      if (attributes) resource[extension.id] = attributes;
      continue;
    }
    const definition = findAttribute(topAttributes(kind), key);
    if (!definition) throw new ScimError(400, `${key}: a ${kind} has no such attribute (see /Schemas).`, 'invalidValue');
    if (definition.mutability === 'readOnly') continue;
    const canonical = canonicalValue(definition, value, definition.name);
    if (canonical !== undefined) resource[definition.name] = canonical;
  }
  return resource;
}

/** The canonical form of one attribute's value; undefined when it is unassigned. */
export function canonicalValue(definition: Attribute, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!definition.multiValued) return canonicalSingle(definition, value, where);
  if (!Array.isArray(value)) throw new ScimError(400, `${where} is multi-valued: it takes a list.`, 'invalidValue');
  const limit = definition.name === 'members' ? maxMembers : maxValues;
  if (value.length > limit) throw new ScimError(400, `${where} takes at most ${limit.toLocaleString('en')} values.`, 'invalidValue');
  const values = value.map((item, index) => canonicalSingle(definition, item, `${where}[${index}]`)).filter((item) => item !== undefined);
  return values.length ? values : undefined;
}

function canonicalSingle(definition: Attribute, value: unknown, where: string): unknown {
  if (value === null) return undefined;
  switch (definition.type) {
    case 'complex':
      if (!isObject(value)) throw new ScimError(400, `${where} must be an object.`, 'invalidValue');
      return canonicalComplex(definition.subAttributes ?? [], value, where);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw new ScimError(400, `${where} must be true or false, not ${JSON.stringify(value).slice(0, 40)}.`, 'invalidValue');
    default:
      if (typeof value !== 'string') throw new ScimError(400, `${where} must be a string.`, 'invalidValue');
      if (value.length > maxStringLength)
        throw new ScimError(400, `${where} is longer than ${maxStringLength.toLocaleString('en')} characters.`, 'invalidValue');
      if (definition.canonicalValues && !definition.canonicalValues.includes(value))
        throw new ScimError(400, `${where} must be ${definition.canonicalValues.join(' or ')}, not "${value}".`, 'invalidValue');
      return value;
  }
}

function canonicalComplex(subAttributes: readonly Attribute[], value: Json, where: string): Json | undefined {
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const definition = findAttribute(subAttributes, key);
    if (!definition) throw new ScimError(400, `${where}.${key}: no such attribute (see /Schemas).`, 'invalidValue');
    if (definition.mutability === 'readOnly') continue;
    const canonical = canonicalValue(definition, item, `${where}.${definition.name}`);
    if (canonical !== undefined) result[definition.name] = canonical;
  }
  return Object.keys(result).length ? result : undefined;
}

function checkSchemas(kind: ResourceKind, value: unknown): void {
  const known = [coreSchemaOf(kind), ...extensionsOf(kind)].map((schema) => schema.id.toLowerCase());
  if (!Array.isArray(value) || value.some((schema) => typeof schema !== 'string'))
    throw new ScimError(400, 'schemas must be a list of schema URIs.', 'invalidValue');
  const unknown = value.find((schema: string) => !known.includes(schema.toLowerCase()));
  if (unknown) throw new ScimError(400, `schemas: a ${kind} here has no schema ${unknown} (see /Schemas).`, 'invalidValue');
}

export function extensionNamed(kind: ResourceKind, name: string): SchemaDefinition | undefined {
  return extensionsOf(kind).find((schema) => schema.id.toLowerCase() === name.toLowerCase());
}

/** An attribute path (RFC 7644 §3.10) resolved against the schemas, with names in their case. */
export interface ResolvedPath {
  /** The attribute at the top: of the core schema, or of `extension`. */
  attribute: Attribute;
  extension?: string;
  filter?: string;
  subAttribute?: Attribute;
  /** The path as scim-patch reads it. */
  path: string;
}

const pathPattern = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/;

export function resolvePath(kind: ResourceKind, raw: string): ResolvedPath {
  const { extension, rest } = splitSchema(kind, raw.trim());
  const match = pathPattern.exec(rest);
  if (!match) throw new ScimError(400, `"${raw}" is not an attribute path.`, 'invalidPath');
  const [, name, filter, subName] = match as unknown as [string, string, string | undefined, string | undefined];
  const attribute = findAttribute(extension ? extension.attributes : topAttributes(kind), name);
  if (!attribute) throw new ScimError(400, `A ${kind} has no attribute ${extension ? `${extension.id}:` : ''}${name}.`, 'invalidPath');
  if (filter !== undefined) {
    if (!attribute.multiValued) throw new ScimError(400, `${attribute.name} is single-valued: it takes no filter.`, 'invalidPath');
    try {
      parseFilter(filter);
    } catch (error) {
      throw new ScimError(400, `The filter in "${raw}" cannot be parsed: ${(error as Error).message}`, 'invalidFilter');
    }
  }
  const subAttribute = subName === undefined ? undefined : findAttribute(attribute.subAttributes ?? [], subName);
  if (subName !== undefined && !subAttribute) throw new ScimError(400, `${attribute.name} has no sub-attribute ${subName}.`, 'invalidPath');
  const path = `${extension ? `${extension.id}:` : ''}${attribute.name}${filter === undefined ? '' : `[${filter}]`}${subAttribute ? `.${subAttribute.name}` : ''}`;
  return {
    attribute,
    ...(extension ? { extension: extension.id } : {}),
    ...(filter === undefined ? {} : { filter }),
    ...(subAttribute ? { subAttribute } : {}),
    path,
  };
}

function splitSchema(kind: ResourceKind, path: string): { extension?: SchemaDefinition; rest: string } {
  const lower = path.toLowerCase();
  const core = coreSchemaOf(kind);
  if (lower.startsWith(`${core.id.toLowerCase()}:`)) return { rest: path.slice(core.id.length + 1) };
  const extension = extensionsOf(kind).find((schema) => lower.startsWith(`${schema.id.toLowerCase()}:`));
  return extension ? { extension, rest: path.slice(extension.id.length + 1) } : { rest: path };
}
