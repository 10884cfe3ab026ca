import { z } from 'zod';
import { metadataKey, metadataValue } from '../corpus/documentMetadata.ts';

/**
 * Narrows retrieval to some documents of the collections in scope (it never widens it: grants
 * are applied first). `metadata`: every key must hold one of the given values (a value, or a
 * list meaning any of them); `documentIds`: only these documents; `updatedAfter`: documents
 * changed since then. Set on an assistant, on a request, or both (then both apply).
 */
export const retrievalFilterSchema = z
  .object({
    metadata: z.record(metadataKey, z.union([metadataValue, z.array(metadataValue).min(1).max(100)])).optional(),
    documentIds: z.array(z.uuid()).min(1).max(1000).optional(),
    updatedAfter: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type RetrievalFilter = z.infer<typeof retrievalFilterSchema>;

/** A filter in the form the SQL takes: each metadata key with its list of allowed values. */
export interface NormalisedFilter {
  metadata: Record<string, (string | number | boolean)[]>;
  documentIds: string[] | null;
  updatedAfter: string | null;
}

/** Both filters at once: allowed values and documents intersect, the later date wins. */
export function combineFilters(...filters: (RetrievalFilter | undefined)[]): NormalisedFilter | undefined {
  const present = filters.filter((filter): filter is RetrievalFilter => filter !== undefined && Object.keys(filter).length > 0);
  if (present.length === 0) return undefined;
  const combined: NormalisedFilter = { metadata: {}, documentIds: null, updatedAfter: null };
  for (const filter of present) {
    for (const [key, value] of Object.entries(filter.metadata ?? {})) {
      const allowed = Array.isArray(value) ? value : [value];
      combined.metadata[key] = combined.metadata[key] ? combined.metadata[key]!.filter((v) => allowed.includes(v)) : allowed;
    }
    if (filter.documentIds)
      combined.documentIds = combined.documentIds
        ? combined.documentIds.filter((id) => filter.documentIds!.includes(id))
        : filter.documentIds;
    if (filter.updatedAfter && (!combined.updatedAfter || Date.parse(filter.updatedAfter) > Date.parse(combined.updatedAfter)))
      combined.updatedAfter = filter.updatedAfter;
  }
  return combined;
}
