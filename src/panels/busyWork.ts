import { DriverError } from '../drivers/errors';
import type { Notice } from './ipc/notice';
import { wiredError } from './panelView';

/** How a panel hears of its long work: busy or not (and doing what), and the notice that says what came of it. */
export interface BusyEvents {
  busy(busy: boolean, what?: string): void;
  /** What came of the work; undefined when it had nothing to say. */
  said(notice: Notice | undefined): void;
  /** A failure, for the log. */
  failed(message: string): void;
}

/** Long work a panel asked for (an export, a reviewed transaction), one at a time; its buttons wait meanwhile. */
export class BusyWork {
  private running = false;

  constructor(private readonly events: BusyEvents, private readonly refusal: () => string) {}

  get busy(): boolean {
    return this.running;
  }

  async run(what: string | undefined, work: () => Promise<string | undefined>): Promise<void> {
    if (this.running) throw new DriverError('config', this.refusal());
    this.running = true;
    this.events.busy(true, what);
    try {
      const text = await work();
      this.events.said(text ? { text, error: false } : undefined);
    } catch (error) {
      const wire = wiredError(error);
      this.events.failed(wire.message);
      this.events.said({ text: wire.message, error: true, ...(wire.code ? { code: wire.code } : {}), ...(wire.hint ? { hint: wire.hint } : {}) });
    } finally {
      this.running = false;
      this.events.busy(false);
    }
  }
}
