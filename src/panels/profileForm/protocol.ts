/** Messages between the connection form webview and the extension. Imported by both sides. */
import type { FieldSpec, FormValues, ParsedUrl } from '../../drivers/form';
import type { Kind } from '../../drivers/types';

export interface KindForm {
  readonly kind: Kind;
  readonly title: string;
  readonly fields: readonly FieldSpec[];
}

export interface FormInit {
  readonly mode: 'add' | 'edit';
  /** Fixed when editing; the user picks it when adding. */
  readonly kind: Kind;
  readonly kinds: readonly KindForm[];
  readonly values: FormValues;
  readonly sshProfiles: readonly { readonly id: string; readonly name: string }[];
  /** Which secrets are already saved (their values never reach the webview). */
  readonly savedSecrets: { readonly password: boolean; readonly passphrase: boolean };
}

export type FormRequest =
  | { readonly type: 'parseUrl'; readonly text: string }
  | { readonly type: 'pickFile' }
  | { readonly type: 'test'; readonly kind: Kind; readonly values: FormValues }
  | { readonly type: 'save'; readonly kind: Kind; readonly values: FormValues };

export interface FormResponses {
  parseUrl: { readonly parsed?: ParsedUrl };
  pickFile: { readonly path?: string };
  test: { readonly ok: boolean; readonly message: string; readonly errors: Record<string, string> };
  save: { readonly errors: Record<string, string> };
}

export type ToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'cancel' }
  | { readonly type: 'request'; readonly id: number; readonly request: FormRequest };

export type ToForm =
  | { readonly type: 'init'; readonly init: FormInit }
  | { readonly type: 'response'; readonly id: number; readonly response: FormResponses[FormRequest['type']] };
