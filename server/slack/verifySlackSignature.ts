import { verifySlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.ts';

class SlackSignatureError extends AppError {
  constructor(reason: string) {
    super(401, 'invalid_signature', `This request is not signed by Slack: ${reason}`);
  }
}

/**
 * Slack's request signing (HMAC-SHA256 of `v0:timestamp:body`, refused when older than five
 * minutes), checked by Bolt's own verifier before Bolt sees the request, so a forged or replayed
 * request gets the API's JSON error instead of an empty 401. The raw body is kept for Bolt.
 */
export function verifySlackSignature(signingSecret: string): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: '1mb' }),
    (req, _res, next) => {
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      try {
        verifySlackRequest({
          signingSecret,
          body,
          headers: {
            'x-slack-signature': req.get('x-slack-signature') ?? '',
            'x-slack-request-timestamp': Number(req.get('x-slack-request-timestamp')),
          },
        });
      } catch (error) {
        return next(new SlackSignatureError((error as Error).message.replace(/^.*?verification failed\.?\s*:?\s*/i, '')));
      }
      (req as typeof req & { rawBody: Buffer }).rawBody = req.body as Buffer;
      next();
    },
  ];
}
