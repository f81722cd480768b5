/** VS Code's webview API, acquired once: the channel's transport and what the webview remembers while hidden. */
import { check, Schema } from '../../src/panels/ipc/protocol';
import type { InferOutput } from 'valibot';
import type { Transport } from './ipc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
/** VS Code's webview API, which a webview may acquire only once. */
function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Messages through VS Code's webview API. */
export function vscodeTransport(): Transport {
  return {
    post: (message) => vscodeApi().postMessage(message),
    listen: (listener) => window.addEventListener('message', (event: MessageEvent<unknown>) => listener(event.data)),
  };
}

/**
 * What the webview itself remembers across being hidden (scroll position, selection, what was typed), checked
 * against its schema when read back: VS Code keeps it while the panel exists, the host keeps the rest.
 */
export class ViewState<S extends Schema> {
  constructor(private readonly schema: S) {}

  read(): InferOutput<S> | undefined {
    const stored = check(this.schema, vscodeApi().getState());
    return stored.ok ? stored.value : undefined;
  }

  write(state: InferOutput<S>): void {
    vscodeApi().setState(state);
  }
}
