import type { AuditEventRow } from '../audit/AuditLog.ts';

export function presentAuditEvent(event: AuditEventRow) {
  return {
    id: event.id,
    createdAt: event.createdAt,
    action: event.action,
    outcome: event.outcome,
    actorEmail: event.actorEmail,
    actorUserId: event.actorUserId,
    targetType: event.targetType,
    targetId: event.targetId,
    ip: event.ip,
    details: event.details,
  };
}

export type AuditEventResponse = ReturnType<typeof presentAuditEvent>;
