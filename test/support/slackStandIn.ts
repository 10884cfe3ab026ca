import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

/**
 * A local stand-in for Slack's Web API (what SLACK_API_URL points at): records every call, knows
 * a few users' emails, and can answer the next calls of a method with 429 and Retry-After.
 */
export async function startSlackStandIn(emails: Record<string, string>) {
  const calls: SlackCall[] = [];
  const rateLimited = new Map<string, number>();
  let ts = 1_700_000_000;
  const app = express();
  app.use(express.urlencoded({ extended: false }), express.json());
  app.post('/api/:method', (req, res) => {
    const method = String(req.params.method);
    const args = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v]));
    if ((rateLimited.get(method) ?? 0) > 0) {
      rateLimited.set(method, rateLimited.get(method)! - 1);
      calls.push({ method: `${method} (429)`, args, at: Date.now() });
      return void res.status(429).set('retry-after', '1').json({ ok: false, error: 'ratelimited' });
    }
    calls.push({ method, args, at: Date.now() });
    if (method === 'apps.connections.open') return void res.json({ ok: true, url: `${url.replace('http', 'ws')}/socket-mode` });
    if (method === 'auth.test') return void res.json({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'tapeout' });
    if (method === 'users.info') {
      const email = emails[String(args.user)];
      return void res.json({ ok: true, user: { id: args.user, profile: email ? { email } : {} } });
    }
    if (method === 'chat.postMessage') return void res.json({ ok: true, channel: args.channel, ts: `${ts++}.000100` });
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
    connection.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'stand-in' } }));
  });
  return {
    apiUrl: `${url}/api/`,
    responseUrl: `${url}/respond`,
    calls,
    rateLimitNext: (method: string, times = 1) => rateLimited.set(method, times),
    /** Socket Mode: whether the app connected, and sending it an envelope. */
    socketConnected: () => socket?.readyState === 1,
    sendEnvelope: (envelopeId: string, type: string, payload: unknown) => socket!.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: false })),
    acknowledged,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request signed as Slack signs them (v0, HMAC-SHA256 over `v0:timestamp:body`). */
export function signedSlackRequest(secret: string, body: string, contentType = 'application/json', timestamp = Math.floor(Date.now() / 1000)): RequestInit {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, body };
}
