import type { Disposable, Event, Webview } from 'vscode';
import { isDriverError, messageOf } from '../../drivers/errors';
import { checkExact, CommandName, Init, NotificationName, ParamsOf, Protocol, RequestName, ResultOf, toHost, ToWebview, WireError } from './protocol';

/** The host's answer to each request of a protocol: a wrong result type does not compile. */
export type RequestHandlers<P extends Protocol> = {
  readonly [K in RequestName<P>]: (params: ParamsOf<P['requests'][K]>) => Promise<ResultOf<P['requests'][K]>>;
};

export type CommandHandlers<P extends Protocol> = {
  readonly [K in CommandName<P>]: (params: ParamsOf<P['commands'][K]>) => void | Promise<void>;
};

export interface PanelHandlers<P extends Protocol> {
  /** What the panel shows now, for a webview that has just (re)loaded. */
  ready(): Promise<Init<P>>;
  readonly requests: RequestHandlers<P>;
  readonly commands: CommandHandlers<P>;
}

/** The part of a webview the channel uses, so that it can be driven without VS Code in tests. */
export type WebviewPort = Pick<Webview, 'postMessage'> & { readonly onDidReceiveMessage: Event<unknown> };

/** Turns what a handler threw into what the webview is told: the driver's code and hint travel with the message. */
export function wireErrorOf(error: unknown): WireError {
  if (isDriverError(error)) {
    const message = error.hint && error.message.endsWith(error.hint) ? error.message.slice(0, -error.hint.length).trimEnd() : error.message;
    return { message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return { message: messageOf(error) };
}

/**
 * The host end of a panel's channel. Every message is checked against the protocol before a handler runs; one that
 * does not match is refused (and reported through `onRefused`), never acted on. Notifications go out only while a
 * webview is listening: a hidden panel's webview is gone, and on its next `ready` it is given the whole state instead.
 */
export class PanelHost<P extends Protocol> implements Disposable {
  private listening = false;
  private readonly subscription: Disposable;

  constructor(
    private readonly webview: WebviewPort,
    private readonly protocol: P,
    private readonly handlers: PanelHandlers<P>,
    private readonly onRefused: (problem: string) => void,
    /** A command (nothing waits for its answer) failed: the user must hear of it all the same. */
    private readonly onCommandFailed: (command: string, error: unknown) => void,
    /** How a failure is put to the user; the VS Code layer words it in the display language. */
    private readonly errorOf: (error: unknown) => WireError = wireErrorOf,
  ) {
    this.subscription = webview.onDidReceiveMessage((message) => void this.receive(message));
  }

  /** Whether a webview has completed the handshake and has not been hidden since. */
  get isListening(): boolean {
    return this.listening;
  }

  /** The webview was hidden (and so destroyed): notifications wait for its next handshake. */
  hidden(): void {
    this.listening = false;
  }

  notify<K extends NotificationName<P>>(method: K, params: ParamsOf<P['notifications'][K]>): void {
    if (this.listening) this.post({ kind: 'notification', method, params });
  }

  private post(message: ToWebview): void {
    void this.webview.postMessage(message).then(undefined, () => undefined);
  }

  private async receive(raw: unknown): Promise<void> {
    const envelope = checkExact(toHost, raw);
    if (!envelope.ok) return this.onRefused(`a message that is not part of the panel protocol (${envelope.problem})`);
    const message = envelope.value;
    if (message.kind === 'ready') {
      await this.answer(message.id, async () => {
        const state = await this.handlers.ready();
        this.listening = true;
        return state;
      });
      return;
    }
    if (message.kind === 'request') {
      const descriptor = Object.hasOwn(this.protocol.requests, message.method) ? this.protocol.requests[message.method] : undefined;
      const handler = descriptor && lookup<(params: unknown) => Promise<unknown>>(this.handlers.requests, message.method);
      if (!descriptor || !handler) return this.refuse(message.id, `an unknown request "${message.method}"`);
      const params = checkExact(descriptor.params, message.params);
      if (!params.ok) return this.refuse(message.id, `request "${message.method}" with bad parameters (${params.problem})`);
      return this.answer(message.id, () => handler(params.value));
    }
    const descriptor = Object.hasOwn(this.protocol.commands, message.method) ? this.protocol.commands[message.method] : undefined;
    const handler = descriptor && lookup<(params: unknown) => void | Promise<void>>(this.handlers.commands, message.method);
    if (!descriptor || !handler) return this.onRefused(`an unknown command "${message.method}"`);
    const params = checkExact(descriptor.params, message.params);
    if (!params.ok) return this.onRefused(`command "${message.method}" with bad parameters (${params.problem})`);
    try {
      await handler(params.value);
    } catch (error) {
      this.onCommandFailed(message.method, error);
    }
  }

  private async answer(id: number, run: () => Promise<unknown>): Promise<void> {
    try {
      this.post({ kind: 'response', id, ok: true, result: await run() });
    } catch (error) {
      this.post({ kind: 'response', id, ok: false, error: this.errorOf(error) });
    }
  }

  private refuse(id: number, problem: string): void {
    this.onRefused(problem);
    this.post({ kind: 'response', id, ok: false, error: { code: 'protocol', message: `The panel refused ${problem}.` } });
  }

  dispose(): void {
    this.listening = false;
    this.subscription.dispose();
  }
}

/** A handler by name, looked up on the table's own properties only (never `constructor`, `__proto__` and the like). */
function lookup<F>(table: object, name: string): F | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(table, name)?.value;
  return typeof value === 'function' ? (value as F) : undefined;
}
