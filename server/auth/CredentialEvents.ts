import { EventEmitter } from 'node:events';

/** A credential that stopped being valid: one API key, one MCP OAuth grant, one browser session, a user's sessions, or a user altogether. */
export type EndedCredential =
  | { kind: 'apiKey'; id: string }
  | { kind: 'oauthGrant'; id: string }
  | { kind: 'session'; tokenHash: string }
  | { kind: 'userSessions'; userId: string }
  | { kind: 'user'; userId: string };

/**
 * Tells whoever holds long-lived connections (socket.io) that a credential ended, so they are
 * closed at once rather than at their next event. The services that revoke credentials emit;
 * the realtime layer and the MCP sessions listen. In-process: with several instances, each one's own revocations
 * reach the others through socket.io's adapter, and every socket event re-checks its credential.
 */
export class CredentialEvents {
  private readonly emitter = new EventEmitter();

  ended(credential: EndedCredential): void {
    this.emitter.emit('ended', credential);
  }

  onEnded(listener: (credential: EndedCredential) => void): () => void {
    this.emitter.on('ended', listener);
    return () => this.emitter.off('ended', listener);
  }
}
