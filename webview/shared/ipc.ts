/** The webview end of a panel's channel (see src/panels/ipc/protocol.ts): typed requests, commands and notifications. */
import {
  check, CommandName, Init, NotificationName, ParamsOf, Protocol, RequestName, ResultOf, Schema, toWebview, ToHost, WireError,
} from '../../src/panels/ipc/protocol';
import type { InferOutput } from 'valibot';

/** A request the host answered with an error, or did not answer in time. */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly code: string | undefined;
  readonly hint: string | undefined;

  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
    this.hint = error.hint;
  }
}

/** How messages travel: VS Code's webview API in a panel, a pair of functions in a test. */
export interface Transport {
  post(message: ToHost): void;
  listen(listener: (message: unknown) => void): void;
}

export type NotificationHandlers<P extends Protocol> = {
  readonly [K in NotificationName<P>]: (params: ParamsOf<P['notifications'][K]>) => void;
};

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PanelClient<P extends Protocol> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly protocol: P,
    private readonly transport: Transport,
    private readonly notifications: NotificationHandlers<P>,
  ) {
    transport.listen((raw) => this.receive(raw));
  }

  /** The handshake: resolves with what the panel shows now. */
  ready(): Promise<Init<P>> {
    return this.send((id) => ({ kind: 'ready', id }), 30_000).then((state) => this.checked(this.protocol.init, state, 'the panel state'));
  }

  request<K extends RequestName<P>>(method: K, params: ParamsOf<P['requests'][K]>): Promise<ResultOf<P['requests'][K]>> {
    const descriptor = this.protocol.requests[method];
    if (!descriptor) return Promise.reject(new RequestError({ code: 'protocol', message: `No request named ${method}.` }));
    return this.send((id) => ({ kind: 'request', id, method, params }), descriptor.timeoutMs).then((result) => this.checked(descriptor.result, result, `the answer to ${method}`));
  }

  command<K extends CommandName<P>>(method: K, params: ParamsOf<P['commands'][K]>): void {
    this.transport.post({ kind: 'command', method, params });
  }

  private send(build: (id: number) => ToHost, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RequestError({ code: 'timeout', message: `The extension did not answer within ${Math.round(timeoutMs / 1000)} s.` }));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.transport.post(build(id));
    });
  }

  private checked<S extends Schema>(schema: S, value: unknown, what: string): InferOutput<S> {
    const result = check(schema, value);
    if (!result.ok) throw new RequestError({ code: 'protocol', message: `The extension sent ${what} in a shape this panel does not know (${result.problem}).` });
    return result.value;
  }

  private receive(raw: unknown): void {
    const parsed = check(toWebview, raw);
    if (!parsed.ok) return;
    const message = parsed.value;
    if (message.kind === 'response') {
      const waiting = this.waiting.get(message.id);
      if (!waiting) return;
      this.waiting.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new RequestError(message.error));
      return;
    }
    const descriptor = Object.hasOwn(this.protocol.notifications, message.method) ? this.protocol.notifications[message.method] : undefined;
    if (!descriptor) return;
    const params = check(descriptor.params, message.params);
    if (!params.ok) return;
    const handler: unknown = Object.getOwnPropertyDescriptor(this.notifications, message.method)?.value;
    if (typeof handler === 'function') handler(params.value);
  }
}
