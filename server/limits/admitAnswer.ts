import type { AnswersInFlight } from '../lifecycle/AnswersInFlight.ts';
import type { ChatQuota } from './ChatQuota.ts';

export type AnswerAdmissionDeps = { answersInFlight: AnswersInFlight; chatQuota: ChatQuota };

/** An answer let in: it holds a quota slot of its asker and is registered for a drain at shutdown. */
export interface AdmittedAnswer {
  /** Aborts when a shutdown's grace period ends (combine it with the asker's own signal). */
  readonly signal: AbortSignal;
  /** True once a shutdown cut this answer off (not the asker). */
  cutOffByShutdown(): boolean;
  /** Frees the quota slot, so an asker told the answer is done may ask again at once. Safe to call more than once. */
  releaseQuota(): Promise<void>;
  /** Frees the slot and ends the registration, last, so a drain waits until the asker was told how the answer ended. */
  end(): Promise<void>;
}

/**
 * The one door every answer goes through, whatever the surface (web chat over socket.io or REST,
 * OpenAI's API, Slack): refused while the server drains (503), and against the asker's chat quota
 * (429). Who the quota counts: the asker's user, else `quotaKey` (an unmapped Slack user). Only the
 * principal's user id is read, so limits/ stays below auth/ (whose sign-in uses its throttle).
 */
export async function admitAnswer(
  deps: AnswerAdmissionDeps,
  asker: { principal: { userId: string | null }; quotaKey?: string },
): Promise<AdmittedAnswer> {
  const inFlight = deps.answersInFlight.begin();
  const releaseQuota = await deps.chatQuota.acquire(asker.principal.userId ?? asker.quotaKey ?? 'anonymous').catch((error: unknown) => {
    inFlight.end();
    throw error;
  });
  return {
    signal: inFlight.signal,
    cutOffByShutdown: () => inFlight.cutOffByShutdown(),
    releaseQuota,
    end: async () => {
      await releaseQuota();
      inFlight.end();
    },
  };
}
