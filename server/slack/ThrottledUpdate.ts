/**
 * Sends the latest state of a message at most once per interval, never two at a time, and always
 * the final state last. Hand-written because the usual throttles (lodash, p-throttle) do not wait
 * for an async call in flight, and Slack's chat.update would then apply edits out of order.
 */
export class ThrottledUpdate {
  private inFlight: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastSent = 0;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The state changed: send it now if the interval allows, else once it does. */
  request(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dispatch();
    }, wait);
  }

  /** Sends the final state after any update in flight, and resolves once it is sent. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dispatch();
    await this.inFlight;
  }

  private dispatch(): void {
    this.lastSent = Date.now();
    this.inFlight = this.inFlight.then(() => this.send()).catch(this.onError);
  }
}
