import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/Database.ts';

/**
 * Leases on periodic tasks (table scheduler_leases), so that of several server instances sharing
 * a database one does each task: in the database rather than in Redis, because the embedded
 * database shared through `tapeout db` has several instances too and no Redis.
 */
export class SchedulerLeases {
  constructor(
    private readonly db: Queryable,
    /** This instance, as the table names it. */
    readonly holder: string = randomUUID(),
  ) {}

  /** Takes the lease on `task` for `forMs`, or renews it; true when this instance holds it. */
  async hold(task: string, forMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO scheduler_leases AS l (task, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (task) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
        WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()`,
      [task, this.holder, forMs],
    );
    return rowCount === 1;
  }
}

/**
 * Runs `work` every `everyMs` on the instance holding the task's lease (held for three periods,
 * renewed at each), and says what went wrong through `onError`. Returns what stops it.
 */
export function everyOnOneInstance(
  leases: SchedulerLeases,
  task: string,
  everyMs: number,
  work: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => void {
  const tick = () =>
    void leases
      .hold(task, everyMs * 3)
      .then((held) => (held ? work() : undefined))
      .catch(onError);
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
