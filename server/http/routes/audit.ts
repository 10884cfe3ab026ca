import Papa from 'papaparse';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AuditEventRow, AuditQuery } from '../../audit/AuditLog.ts';
import type { Services } from '../../services.ts';
import { adminsOnly } from '../authenticate.ts';
import { presentAuditEvent } from '../../presenters/auditEvents.ts';

/** What these routes use of the composition root. */
export type AuditRoutesDeps = Pick<Services, 'audit' | 'config'>;

const filters = z
  .object({
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.[a-z_]+)?$/, 'an action such as auth.sign_in, or an area such as scim')
      .optional(),
    actor: z.string().trim().min(1).max(320).optional(),
    outcome: z.enum(['success', 'failure']).optional(),
    from: z.coerce.date({ message: 'must be a date' }).optional(),
    to: z.coerce.date({ message: 'must be a date' }).optional(),
    before: z
      .string()
      .regex(/^\d{1,18}$/, 'must be an event id')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** The most rows one CSV export holds; narrow the dates for more. */
const csvRowLimit = 50_000;

/** Admin › Audit log: security-relevant events, filtered, and exported as CSV. */
export function auditRoutes(services: AuditRoutesDeps): Router {
  const router = Router();
  router.use(['/audit-events', '/audit-events.csv'], adminsOnly);
  router.get('/audit-events', async (req, res) => {
    const events = await services.audit.list(parseFilters(req));
    res.json({ events: events.map(presentAuditEvent), retentionDays: services.config.auditRetentionDays });
  });
  router.get('/audit-events.csv', async (req, res) => {
    const events = await services.audit.list({ ...parseFilters(req), limit: csvRowLimit });
    res.attachment(`tapeout-audit-${new Date().toISOString().slice(0, 10)}.csv`);
    res.type('text/csv; charset=utf-8');
    res.send(toCsv(events));
  });
  return router;
}

function parseFilters(req: Request): AuditQuery {
  return filters.parse(req.query);
}

/** One row per event; details as JSON. Cells starting with = + - @ are prefixed so spreadsheets never run them. */
export function toCsv(events: AuditEventRow[]): string {
  const rows = events.map((event) => [
    event.id,
    new Date(event.createdAt).toISOString(),
    event.action,
    event.outcome,
    event.actorEmail ?? '',
    event.targetType ?? '',
    event.targetId ?? '',
    event.ip ?? '',
    JSON.stringify(event.details),
  ]);
  return Papa.unparse(
    { fields: ['id', 'time', 'action', 'outcome', 'actor', 'target_type', 'target_id', 'ip', 'details'], data: rows },
    { escapeFormulae: true },
  );
}
