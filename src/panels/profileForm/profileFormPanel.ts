import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Kind, KINDS, Profile, SECRET_NAMES } from '../../drivers/types';
import { FormResult, FormValues } from '../../drivers/form';
import { formFields, parseConnectionUrl, profileFromValues, valuesFromProfile } from '../../drivers/kinds';
import { describeError } from '../../core/errorWords';
import { kindTitle, wordFieldErrors, wordFields } from './fieldWords';
import { Disposable } from '../../core/disposable';
import { SessionManager } from '../../core/sessionManager';
import { ConnectionCatalog } from '../../storage/connectionCatalog';
import { ConnectionsTree } from '../../explorer/connectionsTree';
import { newProfileId } from '../../storage/connectionFiles';
import { SecretName, SecretStore } from '../../storage/secretStore';
import { Log } from '../../core/log';
import { PanelView } from '../panelView';
import { Init } from '../ipc/protocol';
import { formProtocol } from './protocol';
import { OpenPanels } from '../openPanels';

interface Services {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly profiles: ConnectionCatalog;
  readonly secrets: SecretStore;
  readonly sessions: SessionManager;
  readonly tree: Pick<ConnectionsTree, 'revealWhenListed'>;
}

const SECRET_KEYS: readonly SecretName[] = SECRET_NAMES;

/** Splits what the form sent into profile values and secrets: secrets never enter the profile. */
function splitSecrets(values: FormValues): { values: FormValues; secrets: Partial<Record<SecretName, string>> } {
  const rest: FormValues = { ...values };
  const secrets: Partial<Record<SecretName, string>> = {};
  for (const key of SECRET_KEYS) {
    const value = rest[key];
    delete rest[key];
    if (typeof value === 'string' && value !== '') secrets[key] = value;
  }
  return { values: rest, secrets };
}

/**
 * Saves what the form sent: the profile to the profile store, its passwords and passphrase to SecretStorage only.
 * An empty secret field keeps the saved secret.
 */
export async function saveFromForm(services: Pick<Services, 'profiles' | 'secrets' | 'sessions'>, kind: Kind, profileId: string, sent: FormValues): Promise<FormResult> {
  const { values, secrets } = splitSecrets(sent);
  const result = profileFromValues(kind, profileId, values);
  if (!result.profile) return result;
  await services.secrets.write(result.profile, secrets, (id) => services.profiles.get(id));
  const existed = services.profiles.get(profileId) !== undefined;
  await services.profiles.save(result.profile);
  if (existed) await services.sessions.disconnect(profileId);
  return result;
}

/** The add / edit connection form. One panel per profile being edited, one for adding. */
export class ProfileFormPanel extends Disposable {
  private static readonly open = new OpenPanels<ProfileFormPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly profileId: string;
  /** Secrets typed and not saved yet; they live only as long as the form. */
  private readonly typed: Partial<Record<SecretName, string>> = {};

  static show(services: Services, editing?: Profile, preset?: { kind: Kind; values: FormValues }): ProfileFormPanel {
    const key = editing?.id ?? 'new';
    return ProfileFormPanel.open.show(key, () => new ProfileFormPanel(services, editing, preset));
  }

  private constructor(private readonly services: Services, private readonly editing: Profile | undefined, private readonly preset: { kind: Kind; values: FormValues } | undefined) {
    super();
    this.profileId = editing?.id ?? newProfileId();
    const title = editing ? vscode.l10n.t('Edit {0}', editing.name) : vscode.l10n.t('Add Connection');
    const view = this.register(new PanelView(this, services.extensionUri, services.log, { viewType: 'switchboard.profileForm', entry: 'profileForm', title, icon: 'plug' }, formProtocol, {
      ready: () => this.init(),
      requests: {
        parseUrl: async ({ text }) => {
          const parsed = parseConnectionUrl(text);
          return parsed ? { parsed } : {};
        },
        pickFile: async () => {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Use Key'), title: vscode.l10n.t('Private key file'), defaultUri: vscode.Uri.file(join(homedir(), '.ssh')) });
          return picked?.[0] ? { path: picked[0].fsPath } : {};
        },
        test: (request) => this.test(request.kind, this.withTyped(request.values)),
        save: async (request) => {
          const result = await saveFromForm(this.services, request.kind, this.profileId, this.withTyped(request.values));
          if (!result.profile) return { errors: wordFieldErrors(request.kind, formFields(request.kind), result.errors) };
          void vscode.window.showInformationMessage(vscode.l10n.t('Saved connection "{0}".', result.profile.name));
          this.services.tree.revealWhenListed(result.profile.id);
          this.panel.dispose();
          return { errors: {} };
        },
      },
      commands: {
        cancel: () => this.panel.dispose(),
        typedSecrets: (typed) => {
          for (const name of SECRET_KEYS) {
            const value = typed[name];
            if (value === '') delete this.typed[name];
            else if (value !== undefined) this.typed[name] = value;
          }
        },
      },
    }));
    this.panel = view.panel;
  }

  private async init(): Promise<Init<typeof formProtocol>> {
    const kind = this.editing?.kind ?? this.preset?.kind ?? 'redis';
    const saved = await this.services.secrets.has(this.profileId);
    return {
      mode: this.editing ? 'edit' : 'add',
      kind,
      kinds: KINDS.map((k) => ({ kind: k, title: kindTitle(k), fields: wordFields(k, formFields(k)) })),
      values: this.editing ? valuesFromProfile(this.editing) : (this.preset?.values ?? {}),
      sshProfiles: this.services.profiles.all().filter((p) => p.kind === 'ssh' && p.id !== this.profileId).map((p) => ({ id: p.id, name: p.name })),
      savedSecrets: this.editing ? saved : { password: false, passphrase: false, sentinelPassword: false },
      typedSecrets: { password: this.typed.password !== undefined, passphrase: this.typed.passphrase !== undefined, sentinelPassword: this.typed.sentinelPassword !== undefined },
    };
  }

  /** What the form sent, with the secrets typed before it was hidden where their fields are empty now. */
  private withTyped(sent: FormValues): FormValues {
    const values: FormValues = { ...sent };
    for (const name of SECRET_KEYS) {
      const typed = this.typed[name];
      if (typed !== undefined && !values[name]) values[name] = typed;
    }
    return values;
  }

  private async test(kind: Kind, sent: FormValues): Promise<{ ok: boolean; message: string; errors: Record<string, string> }> {
    const { values, secrets } = splitSecrets(sent);
    const result = profileFromValues(kind, this.profileId, { ...values, name: values['name'] || 'test' });
    if (!result.profile) return { ok: false, message: vscode.l10n.t('Fix the marked fields first.'), errors: wordFieldErrors(kind, formFields(kind), result.errors) };
    try {
      const description = await this.services.sessions.test(result.profile, secrets);
      return { ok: true, message: vscode.l10n.t('Connected: {0}', description), errors: {} };
    } catch (error) {
      return { ok: false, message: describeError(error), errors: {} };
    }
  }
}
