/** The Redis profiler panel's channel. The host keeps the MONITOR connection and the newest commands. */
import * as v from 'valibot';
import { command, list, NONE, notification, protocol, request } from '../ipc/protocol';

const item = v.object({ at: v.number(), db: v.number(), client: v.string(), command: v.string(), args: list(v.string()), server: v.string() });
export type ProfiledCommand = v.InferOutput<typeof item>;

const whole = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
export const profilerSettings = v.object({
  filter: v.pipe(v.string(), v.maxLength(1024)),
  seconds: whole(1, 3600),
  commands: whole(1, 1_000_000),
  rate: whole(1, 100_000),
});
export type ProfilerSettings = v.InferOutput<typeof profilerSettings>;

const counts = v.object({ seen: v.number(), kept: v.number(), dropped: v.number() });
export const profilerState = v.object({
  running: v.boolean(),
  counts,
  /** When a running profiler stops by itself at the latest (ms since the epoch). */
  endsAt: v.exactOptional(v.number()),
  /** Why the last run ended, in words. */
  stopped: v.exactOptional(v.string()),
  settings: v.exactOptional(profilerSettings),
});
export type ProfilerState = v.InferOutput<typeof profilerState>;

export const profilerProtocol = protocol({
  init: v.object({ name: v.string(), cluster: v.boolean(), cap: v.number(), state: profilerState, items: list(item), received: v.number() }),
  requests: {
    start: request(profilerSettings, NONE),
    stop: request(NONE, NONE),
  },
  commands: { clear: command(NONE) },
  notifications: {
    commands: notification(v.object({ items: list(item), received: v.number() })),
    state: notification(profilerState),
  },
});
