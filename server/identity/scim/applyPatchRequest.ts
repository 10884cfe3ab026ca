import { scimPatch, ScimError as PatchError, type ScimPatchOperation } from 'scim-patch';
import { findAttribute, topAttributes, type ResourceKind } from './scimAttributes.ts';
import { canonicalValue, extensionNamed, isObject, resolvePath, type Json, type ResolvedPath } from './scimCanonical.ts';
import { ScimError } from './ScimError.ts';

export const patchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const maxOperations = 1000;

interface Operation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

/** One step scim-patch takes, and the request's operation it comes from, for the error that names it. */
interface Step {
  operation: ScimPatchOperation;
  source: { index: number; op: string; path?: string };
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to a resource as SCIM shows it, all of its
 * operations or none: each path is resolved against the schemas and each value made canonical
 * first, so an operation on an attribute Tapeout does not keep is refused instead of answered 200,
 * and every error names the operation. scim-patch then applies the steps.
 */
export function applyPatchRequest(kind: ResourceKind, resource: Json, body: unknown): Json {
  const steps = operationsOf(body).flatMap((operation, index) => {
    const source = { index, op: operation.op, ...(operation.path === undefined ? {} : { path: operation.path }) };
    try {
      return stepsOf(kind, operation).map((step) => ({ operation: step, source }));
    } catch (error) {
      throw error instanceof ScimError ? namingOperation(source, error.message, error.scimType) : error;
    }
  });
  let patched = structuredClone(resource);
  for (const { operation, source } of steps) {
    try {
      patched = scimPatch(patched as never, [operation], { mutateDocument: true, treatMissingAsAdd: true }) as Json;
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      throw namingOperation(source, error.message, error.scimCode === 'noTarget' ? 'noTarget' : 'invalidPath');
    }
  }
  return patched;
}

function namingOperation(source: Step['source'], detail: string, scimType: ScimError['scimType']): ScimError {
  const label = `${source.op}${source.path === undefined ? '' : ` ${source.path}`}`;
  return new ScimError(400, `Operation ${source.index + 1} (${label}): ${detail}`, scimType);
}

function operationsOf(body: unknown): Operation[] {
  if (!isObject(body)) throw new ScimError(400, 'A PATCH body must be a PatchOp JSON object.', 'invalidSyntax');
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === patchSchema.toLowerCase())
  )
    throw new ScimError(400, `schemas must include ${patchSchema}.`, 'invalidSyntax');
  const operations = Object.entries(body).find(([key]) => key.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError(400, 'Operations must be a list of at least one operation.', 'invalidSyntax');
  if (operations.length > maxOperations)
    throw new ScimError(400, `A PATCH takes at most ${maxOperations.toLocaleString('en')} operations.`, 'invalidSyntax');
  return operations.map((operation, index) => operationOf(operation, index));
}

function operationOf(raw: unknown, index: number): Operation {
  const refuse = (detail: string, scimType: ScimError['scimType'] = 'invalidSyntax') =>
    new ScimError(400, `Operation ${index + 1}: ${detail}`, scimType);
  if (!isObject(raw)) throw refuse('must be an object with op, path and value.');
  const extra = Object.keys(raw).find((key) => !['op', 'path', 'value'].includes(key));
  if (extra) throw refuse(`"${extra}" is not part of an operation (op, path, value).`);
  const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'remove' && op !== 'replace')
    throw refuse(`op must be add, remove or replace, not ${JSON.stringify(raw.op ?? null)}.`);
  if (raw.path !== undefined && typeof raw.path !== 'string') throw refuse('path must be a string.');
  if (op === 'remove' && !raw.path) throw refuse('a remove needs a path.', 'noTarget');
  if (op !== 'remove' && !('value' in raw)) throw refuse(`an ${op} needs a value.`);
  return { op, ...(raw.path === undefined ? {} : { path: raw.path }), ...('value' in raw ? { value: raw.value } : {}) };
}

function stepsOf(kind: ResourceKind, operation: Operation): ScimPatchOperation[] {
  if (operation.path !== undefined && extensionNamed(kind, operation.path.trim()))
    return withoutPath(kind, operation.op, { [operation.path.trim()]: operation.value });
  if (operation.path === undefined) return withoutPath(kind, operation.op, operation.value);
  return withPath(kind, operation, resolvePath(kind, operation.path));
}

/** `{op: "replace", value: {active: false, "name.givenName": "Ana"}}` is one step per attribute. */
function withoutPath(kind: ResourceKind, op: Operation['op'], value: unknown): ScimPatchOperation[] {
  if (op === 'remove') throw new ScimError(400, 'a remove of a whole extension is not supported; name its attributes.', 'invalidPath');
  if (!isObject(value)) throw new ScimError(400, 'without a path, the value must be an object of attributes.', 'invalidValue');
  return Object.entries(value).flatMap(([key, item]) => {
    const extension = extensionNamed(kind, key);
    if (extension) {
      if (!isObject(item)) throw new ScimError(400, `${extension.id} must be an object of its attributes.`, 'invalidValue');
      return Object.entries(item).flatMap(([name, inner]) =>
        withPath(kind, { op, value: inner }, resolvePath(kind, `${extension.id}:${name}`)),
      );
    }
    // Read-only attributes in a value are ignored (RFC 7644 §3.5.2): Okta sends the group's id.
    if (findAttribute(topAttributes(kind), key)?.mutability === 'readOnly' || key.toLowerCase() === 'schemas') return [];
    return withPath(kind, { op, value: item }, resolvePath(kind, key));
  });
}

function withPath(kind: ResourceKind, operation: Omit<Operation, 'path'>, target: ResolvedPath): ScimPatchOperation[] {
  const definition = target.subAttribute ?? target.attribute;
  if (target.attribute.mutability === 'readOnly' || definition.mutability === 'readOnly')
    throw new ScimError(400, `${target.path} is read-only.`, 'mutability');
  if (definition.mutability === 'immutable' && operation.op !== 'add')
    throw new ScimError(400, `${target.path} cannot be changed once set.`, 'mutability');
  if (operation.op === 'remove') return removal(kind, operation.value, target);
  const value = canonicalTargetValue(target, operation.value);
  if (value === undefined) return operation.op === 'replace' ? [{ op: 'remove', path: target.path }] : [];
  return [{ op: operation.op, path: target.path, value } as ScimPatchOperation];
}

function canonicalTargetValue(target: ResolvedPath, value: unknown): unknown {
  if (target.subAttribute) return canonicalValue(target.subAttribute, value, target.path);
  if (target.filter !== undefined) return canonicalValue({ ...target.attribute, multiValued: false }, value, target.path);
  if (target.attribute.multiValued) return canonicalValue(target.attribute, Array.isArray(value) ? value : [value], target.path);
  return canonicalValue(target.attribute, value, target.path);
}

/**
 * Entra ID removes members as `{op: "Remove", path: "members", value: [{value: id}]}`; scim-patch
 * compares such values whole (members carry a display name too), so each becomes the equivalent
 * `members[value eq "id"]` removal, as Okta sends it.
 */
function removal(kind: ResourceKind, value: unknown, target: ResolvedPath): ScimPatchOperation[] {
  if (value === undefined) return [{ op: 'remove', path: target.path }];
  if (!target.attribute.multiValued || target.filter !== undefined || target.subAttribute)
    throw new ScimError(400, 'a value is only for removing values from a multi-valued attribute.', 'invalidValue');
  const values = canonicalValue(target.attribute, Array.isArray(value) ? value : [value], target.path) as Json[] | undefined;
  if (kind !== 'Group' || target.attribute.name !== 'members') return values ? [{ op: 'remove', path: target.path, value: values }] : [];
  return (values ?? []).map((member) => {
    if (typeof member.value !== 'string' || member.value.includes('"'))
      throw new ScimError(400, 'each member to remove needs a value (a user id).', 'invalidValue');
    return { op: 'remove', path: `members[value eq "${member.value}"]` };
  });
}
