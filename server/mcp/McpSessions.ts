import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { EndedCredential } from '../auth/CredentialEvents.ts';
import { TooManyRequestsError } from '../errors.ts';
import type { Logger } from '../logging/logger.ts';
import { sameCredential, type McpCaller, type McpCredential } from './McpCaller.ts';

interface OpenSession {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  credential: McpCredential;
  userId: string;
  lastSeenAt: number;
}

/**
 * The MCP sessions open on this process (Streamable HTTP keeps one per client; several
 * instances need sticky routing on the Mcp-Session-Id header, docs/mcp.md). A session belongs
 * to the credential that opened it: another caller presenting its id is told it does not exist.
 * Sessions end when idle too long, and at once when their credential ends (a revoked key or
 * grant, a deactivated or removed user), which also closes their open streams.
 */
export class McpSessions {
  private readonly open = new Map<string, OpenSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: { idleMs: number; maxPerUser: number; newServer: () => McpServer; logger: Logger }) {
    this.sweeper = setInterval(() => this.endIdle(), Math.min(60_000, options.idleMs)).unref();
  }

  get size(): number {
    return this.open.size;
  }

  /** The caller's own session with this id, marked as used; undefined for an unknown, ended or someone else's id. */
  find(id: string, caller: McpCaller): StreamableHTTPServerTransport | undefined {
    const session = this.open.get(id);
    if (!session || !sameCredential(session.credential, caller.credential)) return undefined;
    session.lastSeenAt = Date.now();
    return session.transport;
  }

  /** A transport for an initialize request; it joins the open sessions once the SDK assigns its id. */
  async start(caller: McpCaller): Promise<StreamableHTTPServerTransport> {
    const userId = caller.principal.userId!;
    const mine = [...this.open.values()].filter((session) => session.userId === userId).length;
    if (mine >= this.options.maxPerUser)
      throw new TooManyRequestsError(
        'too_many_mcp_sessions',
        `You have ${mine} MCP sessions open, the most allowed (MCP_MAX_SESSIONS_PER_USER); close one (HTTP DELETE) or let it go idle.`,
        60,
      );
    const server = this.options.newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.open.set(id, { transport, server, credential: caller.credential, userId, lastSeenAt: Date.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.open.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  }

  /** Ends every session opened with a credential that has just ended. */
  credentialEnded(ended: EndedCredential): void {
    const ends = (session: OpenSession) => {
      switch (ended.kind) {
        case 'apiKey':
          return session.credential.kind === 'apiKey' && session.credential.id === ended.id;
        case 'oauthGrant':
          return session.credential.kind === 'oauthGrant' && session.credential.id === ended.id;
        case 'user':
          return session.userId === ended.userId;
        // Browser sessions signed out: keys and MCP grants are revoked on their own.
        case 'userSessions':
        case 'session':
          return false;
      }
    };
    this.endWhere(ends, `credential ended (${ended.kind})`);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.endWhere(() => true, 'server shutting down');
  }

  private endIdle(): void {
    const before = Date.now() - this.options.idleMs;
    void this.endWhere((session) => session.lastSeenAt < before, 'idle');
  }

  private async endWhere(predicate: (session: OpenSession) => boolean, why: string): Promise<void> {
    const ending = [...this.open.entries()].filter(([, session]) => predicate(session));
    for (const [id] of ending) this.open.delete(id);
    await Promise.all(
      ending.map(async ([id, session]) => {
        this.options.logger.info({ mcpSession: id, why }, 'MCP session ended');
        await session.server.close().catch((error: unknown) => this.options.logger.warn({ err: error }, 'closing an MCP session failed'));
      }),
    );
  }
}
