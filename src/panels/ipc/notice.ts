/** A line a panel shows about work it was asked for: what came of it, or why it failed with the driver's code and hint. */
import * as v from 'valibot';

export const notice = v.object({ text: v.string(), error: v.boolean(), code: v.exactOptional(v.string()), hint: v.exactOptional(v.string()) });
export type Notice = v.InferOutput<typeof notice>;
