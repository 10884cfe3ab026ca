import { Router } from 'express';
import type { Services } from '../../services.ts';
import { audited, param } from '../audited.ts';
import { principalOf } from '../authenticate.ts';
import { presentAcceptedUpload } from '../../presenters/documents.ts';
import { presentIngestionJob } from '../../presenters/ingestionJobs.ts';
import { presentSourceView } from '../../presenters/sources.ts';

/** What these routes use of the composition root. */
export type DocumentRoutesDeps = Pick<Services, 'audit' | 'documents' | 'sources'>;

/** Documents and their ingestion jobs; the source viewer's passages and original files. */
export function documentRoutes(services: DocumentRoutesDeps): Router {
  const router = Router();

  router.get('/jobs/:id', async (req, res) => {
    res.json(presentIngestionJob(await services.documents.job(principalOf(req), String(req.params.id))));
  });

  router.delete('/documents/:id', audited(services.audit, 'document.deleted', param('document', 'id')), async (req, res) => {
    await services.documents.delete(principalOf(req), String(req.params.id));
    res.status(204).end();
  });

  /** Retry of a failed document, or re-ingestion of a ready one (after its chunking changed). */
  router.post('/documents/:id/reingest', audited(services.audit, 'document.reingested', param('document', 'id')), async (req, res) => {
    res.status(202).json({ job: presentAcceptedUpload(await services.documents.reingest(principalOf(req), String(req.params.id))) });
  });

  router.get('/documents/:id/file', async (req, res) => {
    const file = await services.sources.originalFile(principalOf(req), String(req.params.id));
    // Always a download, never rendered: an uploaded HTML or SVG file must not run in our origin.
    res.set({ 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'" });
    // cacheControl off keeps the private, no-store set for every response: a download is nobody else's to cache.
    res.download(file.path, file.filename, { cacheControl: false, headers: { 'content-type': 'application/octet-stream' } });
  });

  router.get('/passages/:id', async (req, res) => {
    res.json(presentSourceView(await services.sources.passage(principalOf(req), String(req.params.id))));
  });

  return router;
}
