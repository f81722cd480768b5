/** What failed, as the host said it, for any panel to show. */
import { RequestError } from './ipc';

/** What failed, as the host said it: its message, the driver's code and hint when there are any. */
export interface Problem {
  readonly message: string;
  readonly code?: string | undefined;
  readonly hint?: string | undefined;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof RequestError) return { message: error.message, code: error.code, hint: error.hint };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** A failure as one line of text, where it is not shown in a line of its own: the message, what to do, the code. */
export function problemText(error: unknown): string {
  const { message, code, hint } = problemOf(error);
  const said = hint ? `${message} ${hint}` : message;
  return code ? `${said} (${code})` : said;
}
