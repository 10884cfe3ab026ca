import { rm } from 'node:fs/promises';
import { Router } from 'express';
import { z } from 'zod';
import { receiveUploads, UploadAbortedError, UploadFormatError, UploadTooLargeError } from '../uploads/receiveUploads.ts';
import { incomingDir } from '../../../ingestion/intake/stageFile.ts';
import { requestReembedding, type ReembeddingRequestDeps } from '../../../ingestion/tasks/requestReembedding.ts';
import { requestTextReindexing } from '../../../ingestion/tasks/requestTextReindexing.ts';
import { requestSentenceVectors, type SentenceVectorRequestDeps } from '../../../ingestion/tasks/requestSentenceVectors.ts';
import { findLanguage, languages } from '../../language/languages.ts';
import { AppError, ConflictError, LimitExceededError, ValidationError } from '../../errors.ts';
import { documentMetadataSchema, type DocumentMetadata } from '../../corpus/documentMetadata.ts';
import { countIntakeRefusals } from '../../observability/metrics.ts';
import type { Services } from '../../services.ts';

import { audited, bodyFields, param } from '../audited.ts';
import { principalOf, adminsOnly } from '../authenticate.ts';
import { presentCollection, presentCollectionListing, type CollectionsResponse } from '../../presenters/collections.ts';
import { presentDocument, presentUpload } from '../../presenters/documents.ts';

/** What these routes use of the composition root. */
export type CollectionRoutesDeps = ReembeddingRequestDeps &
  SentenceVectorRequestDeps &
  Pick<Services, 'db' | 'queue' | 'audit' | 'collectionLanguages' | 'collections' | 'config' | 'documents' | 'embedder'>;

/** 'auto' (null: detect it) or a listed language's code. */
const languageChoice = z
  .string()
  .refine((choice) => choice === 'auto' || findLanguage(choice) !== undefined, {
    message: `use "auto" or one of ${languages.map((l) => l.code).join(', ')}`,
  })
  .transform((choice) => (choice === 'auto' ? null : choice));

const newCollection = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, starting with a letter or digit'),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    chunkSize: z.number().int().min(64).max(8192).optional(),
    chunkOverlap: z.number().int().min(0).optional(),
    /** 'auto' (the default: detected from the first documents) or a language code such as en, zh, ar. */
    language: languageChoice.optional(),
  })
  .refine((c) => c.chunkOverlap === undefined || c.chunkOverlap < (c.chunkSize ?? 512), {
    message: 'chunkOverlap must be smaller than chunkSize',
    path: ['chunkOverlap'],
  });

const collectionPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    language: languageChoice,
    description: z.string().max(2000),
    chunkSize: z.number().int().min(64).max(8192),
    chunkOverlap: z.number().int().min(0),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });

const newGrant = z.object({ group: z.string().trim().min(1).max(200), permission: z.enum(['read', 'edit']).default('read') });

/** The optional `metadata` form field: a JSON object of strings, numbers and booleans, set on every file of the upload. */
function parseMetadataField(field: string | undefined): DocumentMetadata | undefined {
  if (field === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(field);
  } catch {
    throw new ValidationError('The metadata field must be a JSON object, for example {"team":"physical-design"}.');
  }
  return documentMetadataSchema.parse(value);
}

export function collectionRoutes(services: CollectionRoutesDeps): Router {
  const router = Router();

  router.post(
    '/collections',
    adminsOnly,
    audited(services.audit, 'collection.created', undefined, bodyFields('slug', 'name')),
    async (req, res) => {
      const body = newCollection.parse(req.body);
      if (await services.collections.findBySlug(body.slug))
        throw new ConflictError(`A collection with slug "${body.slug}" already exists.`);
      const collection = await services.collections.create(principalOf(req), {
        ...body,
        embeddingModel: services.embedder.model,
        embeddingDimension: await services.embedder.dimension(),
        createdBy: principalOf(req).userId,
      });
      res.status(201).json({ collection: presentCollection(collection) });
    },
  );

  router.get('/collections', async (req, res) => {
    const answer: CollectionsResponse = {
      collections: (await services.collections.list(principalOf(req))).map(presentCollectionListing),
      embeddingModel: services.embedder.model,
      languages: languages.map((l) => l.code),
    };
    res.json(answer);
  });

  router.patch(
    '/collections/:slug',
    adminsOnly,
    audited(services.audit, 'collection.updated', param('collection', 'slug'), (req) => ({ changed: Object.keys(req.body ?? {}) })),
    async (req, res) => {
      const patch = collectionPatch.parse(req.body);
      const collection = await services.collections.findEditable(principalOf(req), String(req.params.slug));
      const { language, ...settings } = patch;
      if (Object.keys(settings).length > 0) await services.collections.update(principalOf(req), collection.id, settings);
      if (language !== undefined) {
        await services.collectionLanguages.choose(principalOf(req), collection.id, language);
        await requestTextReindexing(services, collection.id);
        await requestSentenceVectors(services);
      }
      const [listed] = await services.collections.list(principalOf(req), collection.id);
      res.json({ collection: listed && presentCollectionListing(listed) });
    },
  );

  router.post(
    '/collections/:slug/reembed',
    adminsOnly,
    audited(services.audit, 'collection.reembed_requested', param('collection', 'slug')),
    async (req, res) => {
      const collection = await services.collections.findEditable(principalOf(req), String(req.params.slug));
      const requests = await requestReembedding(services, collection.id);
      res.status(202).json({ reembedding: requests[0] ?? null });
    },
  );

  router.post(
    '/collections/:slug/documents',
    audited(services.audit, 'document.uploaded', param('collection', 'slug'), (_req, res) => res.locals.auditDetails),
    async (req, res) => {
      // Checked before the body is read, so nobody without edit rights can make us store bytes.
      await services.collections.findEditable(principalOf(req), String(req.params.slug));
      const received = await receiveUploads(req, {
        dir: incomingDir(services.config.dataDir),
        maxBytes: services.config.uploadMaxBytes,
        maxRequestBytes: services.config.uploadMaxRequestBytes,
      }).catch((error: unknown) => {
        if (error instanceof UploadTooLargeError) {
          // The client may still be sending; it should stop, not keep the connection.
          res.set('connection', 'close');
          throw new LimitExceededError('request_too_large', error.message);
        }
        if (error instanceof UploadAbortedError) throw new AppError(400, 'upload_aborted', error.message);
        throw error instanceof UploadFormatError ? new ValidationError(error.message) : error;
      });
      let metadata: DocumentMetadata | undefined;
      try {
        metadata = parseMetadataField(received.fields.metadata);
      } catch (error) {
        await Promise.all(received.files.map((file) => rm(file.tempPath, { force: true })));
        throw error;
      }
      const outcome = await services.documents.ingestUploads(principalOf(req), String(req.params.slug), received.files, 'upload', metadata);
      const rejected = [...received.rejected, ...outcome.rejected];
      countIntakeRefusals(rejected);
      if (outcome.jobs.length === 0 && outcome.unchanged.length === 0) {
        const reason = rejected.length
          ? rejected.map((r) => `${r.filename}: ${r.error.message}`).join('; ')
          : 'No file was sent in the "files" field.';
        throw new ValidationError(`Nothing was accepted. ${reason}`, { rejected });
      }
      res.locals.auditDetails = { files: received.files.map((file) => file.filename), rejected: rejected.length };
      res.status(202).json(presentUpload({ jobs: outcome.jobs, unchanged: outcome.unchanged, rejected }));
    },
  );

  router.get('/collections/:slug/documents', async (req, res) => {
    res.json({ documents: (await services.documents.list(principalOf(req), String(req.params.slug))).map(presentDocument) });
  });

  router.post(
    '/collections/:slug/grants',
    adminsOnly,
    audited(services.audit, 'collection.granted', param('collection', 'slug'), bodyFields('group', 'permission')),
    async (req, res) => {
      const body = newGrant.parse(req.body);
      const collection = await services.collections.findEditable(principalOf(req), String(req.params.slug));
      await services.collections.grantToGroup(principalOf(req), collection.id, body.group, body.permission);
      res.status(201).json({ grant: { collection: collection.slug, ...body } });
    },
  );

  router.delete(
    '/collections/:slug/grants/:group',
    adminsOnly,
    audited(services.audit, 'collection.grant_removed', param('collection', 'slug'), (req) => ({ group: req.params.group })),
    async (req, res) => {
      const collection = await services.collections.findEditable(principalOf(req), String(req.params.slug));
      await services.collections.revokeFromGroup(principalOf(req), collection.id, String(req.params.group));
      res.status(204).end();
    },
  );

  return router;
}
