import type { ResourceKind } from './scimAttributes.ts';
import { isObject, resolvePath, type Json, type ResolvedPath } from './scimCanonical.ts';
import { ScimError } from './ScimError.ts';

/**
 * The `attributes` and `excludedAttributes` parameters (RFC 7644 §3.4.2.5): which attributes an
 * answer carries. `schemas` and `id` (returned "always") are in every answer.
 */
export type Projection = { kind: 'default' } | { kind: 'only'; paths: ResolvedPath[] } | { kind: 'without'; paths: ResolvedPath[] };

export function parseProjection(
  kind: ResourceKind,
  attributes: readonly string[] | undefined,
  excludedAttributes: readonly string[] | undefined,
): Projection {
  if (attributes?.length && excludedAttributes?.length)
    throw new ScimError(400, 'Give attributes or excludedAttributes, not both.', 'invalidValue');
  const resolve = (names: readonly string[]) =>
    names.map((name) => {
      const path = resolvePath(kind, name);
      if (path.filter !== undefined) throw new ScimError(400, `${name}: attributes take no filter.`, 'invalidValue');
      return path;
    });
  if (attributes?.length) return { kind: 'only', paths: resolve(attributes) };
  if (excludedAttributes?.length) return { kind: 'without', paths: resolve(excludedAttributes) };
  return { kind: 'default' };
}

/** Whether an answer under this projection shows `name` (a top attribute): lists skip what is not shown. */
export function shows(projection: Projection, name: string): boolean {
  const named = (paths: ResolvedPath[]) => paths.some((path) => !path.extension && path.attribute.name === name);
  const wholly = (paths: ResolvedPath[]) => paths.some((path) => !path.extension && path.attribute.name === name && !path.subAttribute);
  if (projection.kind === 'only') return named(projection.paths);
  if (projection.kind === 'without') return !wholly(projection.paths);
  return true;
}

export function project(resource: Json, projection: Projection): Json {
  if (projection.kind === 'default') return resource;
  if (projection.kind === 'without') {
    const copy = structuredClone(resource);
    for (const path of projection.paths) if (!isAlwaysReturned(path)) removeAt(copy, path);
    return copy;
  }
  const picked: Json = { schemas: resource.schemas, id: resource.id };
  for (const path of projection.paths) copyAt(resource, picked, path);
  return picked;
}

function isAlwaysReturned(path: ResolvedPath): boolean {
  return !path.extension && path.attribute.returned === 'always';
}

function containerOf(resource: Json, path: ResolvedPath, create: boolean): Json | undefined {
  if (!path.extension) return resource;
  if (!isObject(resource[path.extension]) && create) resource[path.extension] = {};
  return resource[path.extension] as Json | undefined;
}

function copyAt(from: Json, to: Json, path: ResolvedPath): void {
  const source = containerOf(from, path, false);
  const value = source?.[path.attribute.name];
  if (value === undefined) return;
  const target = containerOf(to, path, true)!;
  const name = path.attribute.name;
  if (!path.subAttribute) {
    target[name] = value;
    return;
  }
  const sub = path.subAttribute.name;
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[name]) ? (target[name] as Json[]) : value.map((): Json => ({}));
    value.forEach((item, index) => {
      if (isObject(item) && item[sub] !== undefined) existing[index]![sub] = item[sub];
    });
    target[name] = existing;
  } else if (isObject(value) && value[sub] !== undefined) {
    target[name] = { ...(isObject(target[name]) ? target[name] : {}), [sub]: value[sub] };
  }
}

function removeAt(resource: Json, path: ResolvedPath): void {
  const container = containerOf(resource, path, false);
  if (!container) return;
  const name = path.attribute.name;
  if (!path.subAttribute) {
    delete container[name];
  } else {
    const value = container[name];
    for (const item of Array.isArray(value) ? value : [value]) if (isObject(item)) delete item[path.subAttribute.name];
  }
  if (path.extension && Object.keys(container).length === 0) delete resource[path.extension];
}
