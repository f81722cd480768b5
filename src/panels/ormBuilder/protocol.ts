/** Messages between the ORM query builder webview and the extension. Imported by both sides. */
import type { ModelOutline, OrmQuery } from '../../drivers/mysql/ormShapes';

export type OrmRequest =
  | { readonly type: 'preview'; readonly query: OrmQuery }
  | { readonly type: 'run'; readonly query: OrmQuery };

export interface OrmResponses {
  preview: { readonly sql?: readonly string[]; readonly error?: string };
  run: { readonly sql?: readonly string[]; readonly rows?: number; readonly count?: number; readonly error?: string };
}
export type OrmResponse = OrmResponses[OrmRequest['type']];

export type ToHost = { readonly type: 'ready' } | { readonly type: 'request'; readonly id: number; readonly request: OrmRequest };

export type ToOrm =
  | { readonly type: 'init'; readonly title: string; readonly models: readonly ModelOutline[]; readonly model?: string }
  | { readonly type: 'response'; readonly id: number; readonly response: OrmResponse };
