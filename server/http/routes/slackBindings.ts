import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { audited, bodyFields, param } from '../audited.ts';
import { adminsOnly, principalOf } from '../authenticate.ts';
import { presentSlackChannelBinding } from '../../presenters/slackBindings.ts';

/** What these routes use of the composition root. */
export type SlackBindingRoutesDeps = Pick<Services, 'audit' | 'config' | 'slackBindings'>;

const channelId = z.string().regex(/^[A-Z0-9]{2,30}$/, 'a Slack channel ID, such as C0123ABCD (channel details › About)');
const binding = z
  .object({
    channelName: z.string().trim().max(100).default(''),
    assistant: z.string().min(1).max(100),
    /** The group that reads the channel; its answers use only what every member of it may read. */
    audience: z.string().trim().min(1).max(200).default('everyone'),
  })
  .strict();

/** Binding Slack channels to assistants and their audience, for admins. */
export function slackBindingRoutes(services: SlackBindingRoutesDeps): Router {
  const router = Router();
  router.use('/slack/bindings', adminsOnly);
  router.get('/slack/bindings', async (req, res) => {
    const bindings = await services.slackBindings.list(principalOf(req));
    res.json({ bindings: bindings.map(presentSlackChannelBinding), slackConfigured: Boolean(services.config.slack.botToken) });
  });
  router.put(
    '/slack/bindings/:channelId',
    audited(services.audit, 'slack_binding.set', param('slack_channel', 'channelId'), bodyFields('assistant', 'audience')),
    async (req, res) => {
      const body = binding.parse(req.body);
      const bound = await services.slackBindings.bind(
        principalOf(req),
        channelId.parse(req.params.channelId),
        body.channelName,
        body.assistant,
        body.audience,
      );
      res.json({ binding: presentSlackChannelBinding(bound) });
    },
  );
  router.delete(
    '/slack/bindings/:channelId',
    audited(services.audit, 'slack_binding.removed', param('slack_channel', 'channelId')),
    async (req, res) => {
      await services.slackBindings.unbind(principalOf(req), channelId.parse(req.params.channelId));
      res.status(204).end();
    },
  );
  return router;
}
