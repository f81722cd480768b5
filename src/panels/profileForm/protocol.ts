/**
 * The connection form's channel. Secrets travel only from the webview to the host, never back: a secret typed and not
 * saved yet is kept by the host while the form is hidden, and the form is told only that it is.
 */
import * as v from 'valibot';
import { KINDS } from '../../drivers/types';
import { command, list, NONE, protocol, request } from '../ipc/protocol';

const kind = v.picklist(KINDS);
const fieldType = v.picklist(['text', 'number', 'checkbox', 'password', 'file', 'lines', 'sshProfile', 'select']);
const field = v.object({
  key: v.string(), label: v.string(), type: fieldType,
  placeholder: v.exactOptional(v.string()), required: v.exactOptional(v.boolean()), help: v.exactOptional(v.string()),
  options: v.exactOptional(list(v.object({ value: v.string(), label: v.string() }))),
  shownWith: v.exactOptional(v.string()),
  more: v.exactOptional(v.boolean()),
});
/** What the form's fields hold, keyed by field; bounded so a webview cannot hand the host megabytes to parse. */
const values = v.pipe(v.record(v.pipe(v.string(), v.maxLength(64)), v.union([v.pipe(v.string(), v.maxLength(65_536)), v.boolean()])), v.check((record) => Object.keys(record).length <= 64, 'too many fields'));
const errors = v.record(v.string(), v.string());
const kindForm = v.object({ kind, title: v.string(), fields: list(field) });
/** Which of the secrets are held (saved, or typed and kept), never what they are. */
const secretFlags = v.object({ password: v.boolean(), passphrase: v.boolean(), sentinelPassword: v.boolean() });
const secret = v.exactOptional(v.pipe(v.string(), v.maxLength(65_536)));

export type KindForm = v.InferOutput<typeof kindForm>;

export const formProtocol = protocol({
  init: v.object({
    mode: v.picklist(['add', 'edit']),
    /** Fixed when editing; the user picks it when adding. */
    kind,
    kinds: list(kindForm),
    values,
    sshProfiles: list(v.object({ id: v.string(), name: v.string() })),
    /** Which secrets are already saved (their values never reach the webview). */
    savedSecrets: secretFlags,
    /** Secrets typed before the form was last hidden: Test and Save use them while their fields stay empty. */
    typedSecrets: secretFlags,
  }),
  requests: {
    parseUrl: request(v.object({ text: v.pipe(v.string(), v.maxLength(4096)) }), v.object({ parsed: v.exactOptional(v.object({ kind, values })) })),
    // The file dialog waits for the user.
    pickFile: request(NONE, v.object({ path: v.exactOptional(v.string()) }), 60 * 60_000),
    test: request(v.object({ kind, values }), v.object({ ok: v.boolean(), message: v.string(), errors }), 5 * 60_000),
    save: request(v.object({ kind, values }), v.object({ errors })),
  },
  commands: {
    cancel: command(NONE),
    /** A secret field as the user just typed it (empty: cleared), kept by the host until the form closes. */
    typedSecrets: command(v.object({ password: secret, passphrase: secret, sentinelPassword: secret })),
  },
  notifications: {},
});
