import type { Queryable } from '../db/Database.ts';

// Slack's event ids are short ("Ev0PV52K25"); anything longer is not one.
const maxEventIdLength = 200;

/** The Slack event ids already received by any instance sharing the database (table slack_event_receipts). */
export class SlackEventReceipts {
  constructor(private readonly db: Queryable) {}

  /**
   * Records the event id; true only for its first delivery. Ids older than a day are dropped in
   * the same statement, so the table stays as small as a day of events.
   */
  async firstDelivery(eventId: string): Promise<boolean> {
    if (eventId.length === 0 || eventId.length > maxEventIdLength) return true;
    const { rowCount } = await this.db.query(
      `WITH expired AS (DELETE FROM slack_event_receipts WHERE received_at < now() - interval '1 day')
       INSERT INTO slack_event_receipts (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING`,
      [eventId],
    );
    return rowCount === 1;
  }
}
