import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const syncMessage = new Uint8Array([SYNC, 0, 0, 0, 4]);

/** True when the backend answers this message with ReadyForQuery (or ends the session). */
function endsRoundTrip(message: Uint8Array): boolean {
  const type = message[0];
  // Startup packets have no type byte; their first byte is the high byte of a small length.
  return type === SYNC || type === SIMPLE_QUERY || type === TERMINATE || type === 0;
}

/**
 * Schedules the messages of several socket connections onto PGlite's single session.
 *
 * Written here because pglite-socket's own queue interleaves connections between the messages
 * of one extended-query batch (Parse/Bind/Execute/Sync), pinning a connection only while a SQL
 * transaction is open; concurrent `pg` clients then bind to each other's unnamed statements and
 * get wrong or missing rows (electric-sql/pglite#1046, fix unmerged upstream). Here a connection
 * owns the session from its first message until a round trip leaves the backend idle and
 * outside a transaction; a failure never stalls the queue.
 */
export class SessionAffineQueryQueue {
  private queue: QueuedMessage[] = [];
  private owner: number | null = null;
  private draining = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('connection closed'));
      return false;
    });
  }

  /** A connection went away: end whatever it left open in the session, then serve the others. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      // Sync ends an unfinished batch (and any "skip until Sync" error state)...
      await this.db.execProtocolRaw(syncMessage);
      // ...and a transaction the client left open is rolled back.
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.owner = null;
    void this.drain();
  }

  private takeNext(): QueuedMessage | undefined {
    const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
    return index >= 0 ? this.queue.splice(index, 1)[0] : undefined;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.takeNext(); item; item = this.takeNext()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
          this.owner = endsRoundTrip(item.message) && !this.db.isInTransaction() ? null : item.handlerId;
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
