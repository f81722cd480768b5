/** A pause/resume gate long work awaits between its steps: open, it lets every step through at once. */
export class PauseGate {
  private waiting: Promise<void> | undefined;
  private open: (() => void) | undefined;

  get paused(): boolean {
    return this.waiting !== undefined;
  }

  pause(): void {
    this.waiting ??= new Promise((resolve) => (this.open = resolve));
  }

  resume(): void {
    this.open?.();
    this.waiting = undefined;
  }

  readonly wait = (): Promise<void> => this.waiting ?? Promise.resolve();
}
