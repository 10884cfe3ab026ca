import { z } from 'zod';

export const metadataKey = z.string().min(1).max(100);
export const metadataValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** What a document may carry as metadata (upload `metadata` field, an import record's `metadata`). */
export const documentMetadataSchema = z
  .record(metadataKey, metadataValue)
  .refine((metadata) => Object.keys(metadata).length <= 50, { message: 'at most 50 keys' });
export type DocumentMetadata = z.infer<typeof documentMetadataSchema>;
