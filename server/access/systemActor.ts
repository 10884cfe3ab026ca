import type { Principal } from '../auth/Principal.ts';

/**
 * Tapeout itself, as the principal of what it does without a person asking: creating the
 * bootstrap admin, seeding the demo, the CLI run by whoever holds the machine, SCIM provisioning
 * (whose bearer token the route has checked). Its decisions taken in code (policies.ts) are an
 * admin's; it has no user id, so SQL scopes (collectionScopes.ts) give it nothing, and the
 * services that need a collection look it up without a scope for it (CollectionService.findEditable).
 * dependency-cruiser keeps it out of the delivery layers: a request never acts as Tapeout.
 */
export const systemActor: Principal = Object.freeze({ userId: null, email: null, role: 'admin', system: true });

export const isSystemActor = (principal: Principal): boolean => principal.system === true;
