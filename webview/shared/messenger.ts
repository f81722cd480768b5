/** The typed channel between a panel's webview and the extension: requests carry an id, answers come back by it. */
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export class Messenger<ToHost extends { type: string }, ToView extends { type: string }, State> {
  private readonly api = acquireVsCodeApi<State>();
  private nextId = 1;
  private readonly waiting = new Map<number, (response: unknown) => void>();

  constructor(onMessage: (message: ToView) => void) {
    window.addEventListener('message', (event: MessageEvent<ToView>) => {
      const message = event.data;
      if (message.type === 'response' && 'id' in message && typeof message.id === 'number') {
        const resolve = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        resolve?.('response' in message ? message.response : undefined);
        return;
      }
      onMessage(message);
    });
  }

  post(message: ToHost): void {
    this.api.postMessage(message);
  }

  /** Sends a request and resolves with the host's answer to it. */
  request<R>(build: (id: number) => ToHost): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve) => {
      this.waiting.set(id, (response) => resolve(response as R));
      this.api.postMessage(build(id));
    });
  }

  get state(): State | undefined {
    return this.api.getState();
  }

  set state(state: State) {
    this.api.setState(state);
  }
}
