/**
 * The one channel between a panel's webview and the extension host, shared by both sides. A panel's protocol is a
 * table of descriptors, each carrying the runtime schema its TypeScript type is derived from:
 * - requests: the webview asks, the host answers through a typed handler; they resolve or reject, and time out;
 * - commands: the webview says, nothing comes back (fire and forget);
 * - notifications: the host says, the webview listens.
 * Every panel opens with the same handshake: the webview's `ready` request, answered with what the panel shows now,
 * so a webview reloaded after being hidden shows what it showed. The host checks every message against its schema
 * before anything acts, so a webview can do no more than its protocol lists.
 */
import * as v from 'valibot';

export type Schema = v.GenericSchema;

export interface RequestType<P extends Schema = Schema, R extends Schema = Schema> {
  readonly kind: 'request';
  readonly params: P;
  readonly result: R;
  /** How long the webview waits for the answer; long work belongs in a command with notifications instead. */
  readonly timeoutMs: number;
}

export interface CommandType<P extends Schema = Schema> {
  readonly kind: 'command';
  readonly params: P;
}

export interface NotificationType<P extends Schema = Schema> {
  readonly kind: 'notification';
  readonly params: P;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function request<P extends Schema, R extends Schema>(params: P, result: R, timeoutMs = DEFAULT_TIMEOUT_MS): RequestType<P, R> {
  return { kind: 'request', params, result, timeoutMs };
}

export function command<P extends Schema>(params: P): CommandType<P> {
  return { kind: 'command', params };
}

export function notification<P extends Schema>(params: P): NotificationType<P> {
  return { kind: 'notification', params };
}

export interface Protocol {
  /** What the `ready` handshake answers: everything the webview needs to show the panel as it is now. */
  readonly init: Schema;
  readonly requests: Readonly<Record<string, RequestType>>;
  readonly commands: Readonly<Record<string, CommandType>>;
  readonly notifications: Readonly<Record<string, NotificationType>>;
}

/** Declares a protocol, keeping its exact descriptor types. */
export function protocol<P extends Protocol>(descriptors: P): P {
  return descriptors;
}

/** No parameters. */
export const NONE = v.strictObject({});

/** A list the receiving side only reads (so that data held as readonly arrays type-checks against it). */
export function list<S extends Schema>(item: S) {
  return v.pipe(v.array(item), v.readonly());
}

/**
 * An object of any own keys, each checked by `key`, with values checked by `value`. Unlike valibot's record, which
 * leaves out keys named __proto__, prototype and constructor, it keeps every key (a message header may be so named),
 * as an own property of what it returns.
 */
export function table<T>(key: v.GenericSchema<string>, value: v.GenericSchema<T>) {
  return v.pipe(
    v.custom<Readonly<Record<string, T>>>((input) => typeof input === 'object' && input !== null && !Array.isArray(input), 'an object'),
    v.rawTransform(({ dataset: { value: input }, addIssue, NEVER }) => {
      const entries: [string, T][] = [];
      for (const [name, item] of Object.entries(input)) {
        const at = (origin: 'key' | 'value'): v.ObjectPathItem => ({ type: 'object', origin, input, key: name, value: item });
        const checkedKey = v.safeParse(key, name);
        if (!checkedKey.success) {
          addIssue({ message: checkedKey.issues[0].message, path: [at('key')] });
          return NEVER;
        }
        const checkedValue = v.safeParse(value, item);
        if (!checkedValue.success) {
          addIssue({ message: checkedValue.issues[0].message, path: [at('value'), ...(checkedValue.issues[0].path ?? [])] });
          return NEVER;
        }
        entries.push([checkedKey.output, checkedValue.output]);
      }
      return Object.fromEntries(entries);
    }),
  );
}

export type Init<P extends Protocol> = v.InferOutput<P['init']>;
export type RequestName<P extends Protocol> = keyof P['requests'] & string;
export type CommandName<P extends Protocol> = keyof P['commands'] & string;
export type NotificationName<P extends Protocol> = keyof P['notifications'] & string;
export type ParamsOf<D extends { readonly params: Schema }> = v.InferOutput<D['params']>;
export type ResultOf<D extends RequestType> = v.InferOutput<D['result']>;

const wireError = v.object({ message: v.string(), code: v.exactOptional(v.string()), hint: v.exactOptional(v.string()) });
/** A failed request as the webview receives it: the driver's code and hint when there is one. */
export type WireError = v.InferOutput<typeof wireError>;

/** What a webview may post. */
export const toHost = v.variant('kind', [
  v.object({ kind: v.literal('ready'), id: v.number() }),
  v.object({ kind: v.literal('request'), id: v.number(), method: v.string(), params: v.unknown() }),
  v.object({ kind: v.literal('command'), method: v.string(), params: v.unknown() }),
]);
export type ToHost = v.InferOutput<typeof toHost>;

/** What the host posts. */
export const toWebview = v.variant('kind', [
  v.object({ kind: v.literal('response'), id: v.number(), ok: v.literal(true), result: v.unknown() }),
  v.object({ kind: v.literal('response'), id: v.number(), ok: v.literal(false), error: wireError }),
  v.object({ kind: v.literal('notification'), method: v.string(), params: v.unknown() }),
]);
export type ToWebview = v.InferOutput<typeof toWebview>;

/** Checks a value against a descriptor's schema: its parsed form, or a sentence saying what is wrong. */
export function check<S extends Schema>(schema: S, value: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; problem: string } {
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
  return { ok: false, problem: `${path ? `${path}: ` : ''}${issue?.message ?? 'does not match'}` };
}

/**
 * Checks what the host receives exactly: a valibot object drops the keys it does not name, and a message carrying
 * one — at any depth, in a shared or a nested schema alike — is refused here rather than trimmed.
 */
export function checkExact<S extends Schema>(schema: S, value: unknown): ReturnType<typeof check<S>> {
  const checked = check(schema, value);
  if (!checked.ok) return checked;
  const extra = unnamedKey(value, checked.value);
  return extra === undefined ? checked : { ok: false, problem: `${extra}: not part of the message` };
}

/** The path of the first key of `input` that is missing from `output`, its parsed form. */
function unnamedKey(input: unknown, output: unknown, path: readonly string[] = []): string | undefined {
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null) return undefined;
  for (const [key, item] of Object.entries(input)) {
    if (!Object.hasOwn(output, key)) return [...path, key].join('.');
    const found = unnamedKey(item, Reflect.get(output, key), [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}
