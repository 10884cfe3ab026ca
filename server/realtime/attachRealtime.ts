import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { IngestionJobView } from '../corpus/ingestionJobs.ts';
import { hashApiKey } from '../auth/apiKeys.ts';
import type { EndedCredential } from '../auth/CredentialEvents.ts';
import type { Principal } from '../auth/Principal.ts';
import { sessionTokenOf } from '../http/authenticate.ts';
import { describeError } from '../errors.ts';
import { registerChatEvents, type ChatEventsDeps } from './chatEvents.ts';
import { useRedisAdapter } from './redisAdapter.ts';
import { reportSocketConnections } from '../observability/metrics.ts';
import type { Services } from '../services.ts';
import { presentIngestionJob } from '../presenters/ingestionJobs.ts';
import { presentSourceRun } from '../presenters/syncedSources.ts';
import { isSourceRunProgress } from '../sources/SyncSourceTask.ts';

/** What these modules use of the composition root. */
export type RealtimeDeps = ChatEventsDeps &
  Pick<Services, 'collections' | 'config' | 'credentialEvents' | 'logger' | 'queue' | 'sessions' | 'users'>;

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

type Ack = (answer: { ok: true } | { error: { code: string; message: string } }) => void;

const watchRequest = z.object({ collection: z.string().min(1).max(100) });
export const ingestionRoom = (collectionId: string) => `ingestion:${collectionId}`;

/**
 * socket.io beside the REST API, authenticated with the same API keys. Admin screens join a
 * collection's ingestion room and receive `ingestion:progress` (the job as GET /api/jobs/:id
 * shows it) for every job of that collection, whichever process runs it: progress comes through
 * the job queue, which with Redis carries it from worker processes to every server instance.
 * With Redis, the instances share rooms too (redisAdapter.ts).
 */
export async function attachRealtime(server: HttpServer, services: RealtimeDeps): Promise<Realtime> {
  const io = new Server(server, { serveClient: false, cors: { origin: false } });
  const { redisUrl, queuePrefix } = services.config;
  const closeAdapter = redisUrl ? useRedisAdapter(io, redisUrl, queuePrefix, services.logger) : undefined;
  io.use(async (socket, next) => {
    const credential = await credentialOf(socket, services).catch(() => undefined);
    if (!credential) return next(new Error('unauthenticated: sign in, or send your API key as auth.token'));
    socket.data.principal = credential.principal;
    socket.data.recheck = credential.recheck;
    await socket.join(credential.rooms);
    next();
  });
  io.on('connection', (socket) => {
    // The handshake is not trusted for ever: every event re-checks the key or session behind the
    // socket (and takes the user's current role); a revoked one closes it.
    socket.use(([event], next) => {
      void (socket.data.recheck as () => Promise<Principal | undefined>)()
        .catch(() => undefined)
        .then((principal) => {
          if (principal) {
            socket.data.principal = principal;
            return next();
          }
          // The event is dropped unanswered; the client sees the disconnect and signs in again.
          services.logger.info({ event, userId: (socket.data.principal as Principal).userId }, 'socket closed: its credential ended');
          socket.disconnect(true);
        });
    });
    const on = (event: string, handle: (request: unknown) => Promise<void>) =>
      socket.on(event, (request: unknown, ack?: Ack) => void answer(services, event, ack, () => handle(request)));
    on('ingestion:watch', (request) => watch(socket, request, services));
    on('ingestion:unwatch', (request) => unwatch(socket, request, services));
    registerChatEvents(socket, services);
  });
  const stopReportingSockets = reportSocketConnections(() => io.engine.clientsCount);
  // A revoked key, a signed-out session, a user whose sessions ended or who was removed: their sockets close at once.
  const stopWatchingCredentials = services.credentialEvents.onEnded((ended) => io.in(credentialRoom(ended)).disconnectSockets(true));
  // Every instance hears every job's progress from the queue, so each tells only its own clients.
  const unsubscribe = await services.queue.onProgress(({ data }) => {
    if (isJobView(data)) io.local.to(ingestionRoom(data.collectionId)).emit('ingestion:progress', presentIngestionJob(data));
    // A source's sync reaches the editors watching its collection, as its uploads do.
    if (isSourceRunProgress(data)) io.local.to(ingestionRoom(data.collectionId)).emit('source:progress', presentSourceRun(data.run));
  });
  return {
    io,
    async close() {
      unsubscribe();
      stopWatchingCredentials();
      stopReportingSockets();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      closeAdapter?.();
    },
  };
}

/** The socket.io room of everything a credential opened. */
function credentialRoom(credential: EndedCredential): string {
  switch (credential.kind) {
    case 'apiKey':
      return `api-key:${credential.id}`;
    case 'session':
      return `session:${credential.tokenHash}`;
    case 'userSessions':
      return `user-sessions:${credential.userId}`;
    case 'user':
      return `user:${credential.userId}`;
    // MCP's OAuth tokens are accepted at /mcp only, never by sockets.
    case 'oauthGrant':
      return `oauth-grant:${credential.id}`;
  }
}

interface SocketCredential {
  principal: Principal;
  /** The rooms a revocation of this credential closes. */
  rooms: string[];
  /** Resolves the credential again: its principal now, or undefined once it ended. */
  recheck: () => Promise<Principal | undefined>;
}

/**
 * An API key (auth.token or the Authorization header), or the web app's session cookie. A
 * cookie is accepted only from a page of our own origin: browsers send cookies with cross-site
 * WebSocket handshakes too, and CORS does not apply to them.
 */
async function credentialOf(socket: Socket, services: RealtimeDeps): Promise<SocketCredential | undefined> {
  const { headers } = socket.handshake;
  const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
  const fromHeader = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const token = typeof fromAuth === 'string' ? fromAuth : fromHeader;
  if (token) {
    const resolved = await services.users.apiKeyCredential(token);
    if (!resolved) return undefined;
    return {
      principal: resolved.principal,
      rooms: [`api-key:${resolved.keyId}`, `user:${resolved.principal.userId}`],
      recheck: async () => (await services.users.apiKeyCredential(token))?.principal,
    };
  }
  const sessionToken = sessionTokenOf(headers.cookie);
  if (!sessionToken || !sameOrigin(headers.origin, headers.host)) return undefined;
  const session = await services.sessions.resolve(sessionToken);
  if (!session) return undefined;
  const userId = session.principal.userId;
  return {
    principal: session.principal,
    rooms: [`session:${hashApiKey(sessionToken)}`, `user-sessions:${userId}`, `user:${userId}`],
    recheck: async () => (await services.sessions.resolve(sessionToken))?.principal,
  };
}

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

async function watch(socket: Socket, request: unknown, services: RealtimeDeps): Promise<void> {
  const { collection } = watchRequest.parse(request);
  const found = await services.collections.findEditable(socket.data.principal as Principal, collection);
  await socket.join(ingestionRoom(found.id));
}

async function unwatch(socket: Socket, request: unknown, services: RealtimeDeps): Promise<void> {
  const { collection } = watchRequest.parse(request);
  const found = await services.collections.findBySlug(collection);
  if (found) await socket.leave(ingestionRoom(found.id));
}

/** Socket events answer through their acknowledgement, with the REST API's error shape. */
async function answer(services: RealtimeDeps, event: string, ack: Ack | undefined, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    ack?.({ ok: true });
  } catch (error) {
    const { status, body } = describeError(error);
    if (status >= 500) services.logger.error({ err: error, event }, 'socket event failed');
    else services.logger.warn({ event, code: body.error.code, reason: body.error.message }, 'socket event refused');
    ack?.({ error: { code: body.error.code, message: body.error.message } });
  }
}

function isJobView(data: unknown): data is IngestionJobView {
  return typeof data === 'object' && data !== null && 'collectionId' in data && 'state' in data && 'stage' in data;
}
