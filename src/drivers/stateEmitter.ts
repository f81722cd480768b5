import { SessionEvent } from './types';

/** The listener list behind Session.onState. */
export class StateEmitter {
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  on(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  clear(): void {
    this.listeners.clear();
  }
}
