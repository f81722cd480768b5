/** The EXPLAIN panel's channel: the plan of one statement as a tree; ANALYZE of a write is asked about in the panel, worded by the host. */
import * as v from 'valibot';
import type { PlanStep } from '../../drivers/mysql/explainPlan';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

const figure = v.exactOptional(v.number());
export const planStep: v.GenericSchema<unknown, PlanStep> = v.object({
  label: v.string(), table: v.exactOptional(v.string()), access: v.exactOptional(v.string()), key: v.exactOptional(v.string()),
  possibleKeys: v.exactOptional(list(v.string())), rows: figure, filtered: figure, actualRows: figure, actualFiltered: figure, actualMs: figure,
  loops: figure, cost: figure, notes: list(v.string()), costly: list(v.string()), children: list(v.lazy(() => planStep)),
});

export const MODES = ['explain', 'analyze'] as const;

export const explainState = v.object({
  statement: v.string(),
  database: v.exactOptional(v.string()),
  mode: v.picklist(MODES),
  /** Whether the statement only reads (ANALYZE of anything else runs a write, so it is confirmed first). */
  reads: v.boolean(),
  /** Why it is not a read, as the read-only gate says. */
  reason: v.exactOptional(v.string()),
  /** Whether ANALYZE may run it at all (a read, or a write the rollback undoes), and why not. */
  analyzable: v.boolean(),
  analyzeReason: v.exactOptional(v.string()),
  plan: v.exactOptional(planStep),
  /** What was sent to the server, and its answer as it came. */
  sent: v.exactOptional(v.string()),
  raw: v.exactOptional(v.string()),
  rolledBack: v.boolean(),
  running: v.boolean(),
  /** When the plan was read (ms since the epoch); 0 before. */
  readAt: v.number(),
  error: v.exactOptional(v.string()),
});
export type ExplainState = v.InferOutput<typeof explainState>;

export const explainProtocol = protocol({
  /** `askAnalyze`: opened by Analyze SQL Statement on a write, the panel asks at once whether to run it. */
  init: v.object({ name: v.string(), readOnly: v.boolean(), mariadb: v.boolean(), state: explainState, askAnalyze: v.boolean() }),
  requests: {
    explain: request(NONE, NONE, 5 * 60_000),
    /**
     * A read is analyzed at once. A write is not run without `confirmed`: the answer is the host's question, and the
     * same request carrying its ticket runs it (in a transaction rolled back afterwards).
     */
    analyze: request(v.object({ confirmed: ticket }), v.object({ ask: v.exactOptional(question) }), 30 * 60_000),
  },
  commands: {},
  notifications: { state: notification(explainState) },
});
