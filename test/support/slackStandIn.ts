import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The ts the stand-in gave a posted message. */
  ts?: string;
}

/** A Slack account as the stand-in's users.info describes it; a plain string is a full member of T1 with that confirmed email. */
export interface StandInUser {
  email?: string;
  team?: string;
  deleted?: boolean;
  isBot?: boolean;
  guest?: 'multi-channel' | 'single-channel';
  stranger?: boolean;
  emailConfirmed?: boolean;
}

function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The stand-in's answer to users.info, shaped as Slack's user object. */
function slackUserObject(id: string, account: StandInUser | string | undefined) {
  const user = typeof account === 'string' ? { email: account } : (account ?? {});
  return {
    id,
    team_id: user.team ?? 'T1',
    deleted: user.deleted ?? false,
    is_bot: user.isBot ?? false,
    is_restricted: user.guest !== undefined,
    is_ultra_restricted: user.guest === 'single-channel',
    ...(user.stranger ? { is_stranger: true } : {}),
    is_email_confirmed: user.emailConfirmed ?? true,
    profile: user.email ? { email: user.email } : {},
  };
}

/**
 * A local stand-in for Slack's Web API (what SLACK_API_URL points at): records every call, knows
 * a few users, opens direct-message channels (D_<user>), and can answer the next calls of a
 * method with 429 and Retry-After.
 */
export async function startSlackStandIn(users: Record<string, StandInUser | string>) {
  const calls: SlackCall[] = [];
  const rateLimited = new Map<string, number>();
  let ts = 1_700_000_000;
  const app = express();
  app.use(express.urlencoded({ extended: false }), express.json());
  app.post('/api/:method', (req, res) => {
    const method = String(req.params.method);
    // Form-encoded calls carry blocks as JSON strings; a text that merely starts with [ stays text.
    const args = Object.fromEntries(
      Object.entries(req.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && /^[[{]/.test(v) ? parsedOr(v) : v]),
    );
    if ((rateLimited.get(method) ?? 0) > 0) {
      rateLimited.set(method, rateLimited.get(method)! - 1);
      calls.push({ method: `${method} (429)`, args, at: Date.now() });
      return void res.status(429).set('retry-after', '1').json({ ok: false, error: 'ratelimited' });
    }
    const call: SlackCall = { method, args, at: Date.now() };
    calls.push(call);
    if (method === 'apps.connections.open') return void res.json({ ok: true, url: `${url.replace('http', 'ws')}/socket-mode` });
    if (method === 'auth.test') return void res.json({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'tapeout' });
    if (method === 'users.info') return void res.json({ ok: true, user: slackUserObject(String(args.user), users[String(args.user)]) });
    if (method === 'conversations.open') return void res.json({ ok: true, channel: { id: `D_${String(args.users)}` } });
    if (method === 'conversations.info') {
      const id = String(args.channel);
      return void res.json({ ok: true, channel: id.startsWith('D_') ? { id, is_im: true, user: id.slice(2) } : { id, is_im: false } });
    }
    if (method === 'chat.postEphemeral') return void res.json({ ok: true, message_ts: `${ts++}.000200` });
    if (method === 'chat.postMessage') {
      call.ts = `${ts++}.000100`;
      return void res.json({ ok: true, channel: args.channel, ts: call.ts });
    }
    if (method === 'chat.update') return void res.json({ ok: true, channel: args.channel, ts: args.ts });
    res.json({ ok: true });
  });
  // Bolt's respond() posts to the action's response_url.
  app.post('/respond', (req, res) => {
    calls.push({ method: 'response_url', args: req.body as Record<string, unknown>, at: Date.now() });
    res.json({ ok: true });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Socket Mode: Slack's side of the WebSocket. It says hello, then sends envelopes the app must acknowledge.
  const sockets = new WebSocketServer({ server, path: '/socket-mode' });
  const acknowledged: string[] = [];
  let socket: WebSocket | undefined;
  sockets.on('connection', (connection) => {
    socket = connection;
    connection.on('message', (data) => acknowledged.push(JSON.parse(String(data)).envelope_id));
    connection.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'stand-in' } }),
    );
  });
  return {
    apiUrl: `${url}/api/`,
    responseUrl: `${url}/respond`,
    calls,
    postedTs: (call: SlackCall) => call.ts,
    rateLimitNext: (method: string, times = 1) => rateLimited.set(method, times),
    /** Socket Mode: whether the app connected, and sending it an envelope. */
    socketConnected: () => socket?.readyState === 1,
    sendEnvelope: (envelopeId: string, type: string, payload: unknown) =>
      socket!.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: false })),
    acknowledged,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request signed as Slack signs them (v0, HMAC-SHA256 over `v0:timestamp:body`). */
export function signedSlackRequest(
  secret: string,
  body: string,
  contentType = 'application/json',
  timestamp = Math.floor(Date.now() / 1000),
): RequestInit {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  };
}
