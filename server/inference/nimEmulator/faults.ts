import type { Response } from 'express';
import { z } from 'zod';
import { sendError } from './errorShapes.ts';

export const endpoints = ['chat', 'embeddings', 'ranking'] as const;
export type EmulatedEndpoint = (typeof endpoints)[number];

export const faultSchema = z.object({
  kind: z.enum(['http-error', 'timeout', 'slow-first-token', 'cut-stream']),
  endpoint: z.enum([...endpoints, 'any']).default('any'),
  /** For http-error. */
  status: z.number().int().min(400).max(599).default(503),
  shape: z.enum(['openai', 'flat', 'object', 'detail']).default('object'),
  /** For slow-first-token (and how long a timeout hangs). */
  delayMs: z.number().int().min(0).default(30_000),
  /** For cut-stream: tokens sent before the connection is dropped. */
  afterTokens: z.number().int().min(0).default(3),
  /** For cut-stream: end the response cleanly (no [DONE]) instead of dropping the connection. */
  graceful: z.boolean().default(false),
  /** How many matching requests the fault affects; unset means all of them. */
  times: z.number().int().min(1).optional(),
});
export type Fault = z.infer<typeof faultSchema>;

/** The active faults; each request takes the first one that matches its endpoint. */
export class FaultInjector {
  private faults: Fault[] = [];

  set(faults: Fault[]): void {
    this.faults = faults.map((fault) => ({ ...fault }));
  }

  take(endpoint: EmulatedEndpoint): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.endpoint === 'any' || fault.endpoint === endpoint);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    if (fault.times !== undefined && --fault.times === 0) this.faults.splice(index, 1);
    return fault;
  }
}

/**
 * Acts out a fault that ends the request before any answer (an HTTP error, or a hang then a
 * dropped connection). Returns true when it did, so the route stops.
 */
export async function actOutRequestFault(res: Response, fault: Fault | undefined): Promise<boolean> {
  if (fault?.kind === 'http-error') {
    sendError(res, fault.status, `injected ${fault.status} error`, fault.shape);
    return true;
  }
  if (fault?.kind === 'timeout') {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    res.destroy();
    return true;
  }
  return false;
}
