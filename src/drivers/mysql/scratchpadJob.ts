import type { DriverErrorCode } from '../errors';
import type { SequelizeTarget } from './liveModels';
import type { ModelGraph } from './modelSpec';

/** What the scratchpad worker is given: its own connection's target, the models to build, and the snippet. */
export interface ScratchpadJob {
  readonly target: SequelizeTarget;
  readonly graph: ModelGraph;
  readonly code: string;
  readonly language: 'javascript' | 'typescript';
  /** Commit what the snippet changed; otherwise everything is rolled back. */
  readonly commit: boolean;
}

/** What the worker reports, in order: its server thread, printed lines, then one ending. */
export type FromWorker =
  | { readonly type: 'thread'; readonly id: number }
  | { readonly type: 'print'; readonly line: string }
  | { readonly type: 'done'; readonly value: string | undefined; readonly committed: boolean }
  | { readonly type: 'failed'; readonly code: DriverErrorCode; readonly message: string };
