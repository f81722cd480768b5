import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Kind, KINDS, Profile, Secrets } from '../../drivers/types';
import { FormResult, FormValues } from '../../drivers/form';
import { formFields, kindInfo, parseConnectionUrl, profileFromValues, valuesFromProfile } from '../../drivers/kinds';
import { messageOf } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { SessionManager } from '../../core/sessionManager';
import { ProfileStore } from '../../storage/profileStore';
import { SecretName, SecretStore } from '../../storage/secretStore';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { FormRequest, FormResponses, ToForm, ToHost } from './protocol';

interface Services {
  readonly extensionUri: vscode.Uri;
  readonly profiles: ProfileStore;
  readonly secrets: SecretStore;
  readonly sessions: SessionManager;
}

const SECRET_KEYS: readonly SecretName[] = ['password', 'passphrase'];

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
 * Saves what the form sent: the profile to the profile store, its password and passphrase to SecretStorage only.
 * An empty secret field keeps the saved secret.
 */
export async function saveFromForm(services: Pick<Services, 'profiles' | 'secrets' | 'sessions'>, kind: Kind, profileId: string, sent: FormValues): Promise<FormResult> {
  const { values, secrets } = splitSecrets(sent);
  const result = profileFromValues(kind, profileId, values);
  if (!result.profile) return result;
  await services.secrets.write(profileId, secrets);
  const existed = services.profiles.get(profileId) !== undefined;
  await services.profiles.save(result.profile);
  if (existed) await services.sessions.disconnect(profileId);
  return result;
}

/** The add / edit connection form. One panel per profile being edited, one for adding. */
export class ProfileFormPanel extends Disposable {
  private static readonly open = new Map<string, ProfileFormPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly profileId: string;

  static show(services: Services, editing?: Profile, preset?: { kind: Kind; values: FormValues }): ProfileFormPanel {
    const key = editing?.id ?? 'new';
    const existing = ProfileFormPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new ProfileFormPanel(services, editing, preset);
    ProfileFormPanel.open.set(key, panel);
    panel.register({ dispose: () => ProfileFormPanel.open.delete(key) });
    return panel;
  }

  private constructor(private readonly services: Services, private readonly editing: Profile | undefined, private readonly preset: { kind: Kind; values: FormValues } | undefined) {
    super();
    this.profileId = editing?.id ?? ProfileStore.newId();
    const title = editing ? `Edit ${editing.name}` : 'Add Connection';
    this.panel = this.register(vscode.window.createWebviewPanel('switchboard.profileForm', title, vscode.ViewColumn.Active, webviewOptions(services.extensionUri)));
    this.panel.iconPath = new vscode.ThemeIcon('plug');
    this.panel.webview.html = webviewHtml(this.panel.webview, services.extensionUri, 'profileForm', title);
    this.register(this.panel.onDidDispose(() => this.dispose()));
    this.register(this.panel.webview.onDidReceiveMessage((message: ToHost) => void this.onMessage(message)));
  }

  private post(message: ToForm): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: ToHost): Promise<void> {
    if (message.type === 'ready') return this.post({ type: 'init', init: await this.init() });
    if (message.type === 'cancel') return this.panel.dispose();
    if (message.type === 'request') {
      const response = await this.answer(message.request).catch((error: unknown) => ({ ok: false, message: messageOf(error), errors: {} }));
      this.post({ type: 'response', id: message.id, response });
    }
  }

  private async init() {
    const kind = this.editing?.kind ?? this.preset?.kind ?? 'redis';
    const saved = await this.services.secrets.has(this.profileId);
    return {
      mode: this.editing ? ('edit' as const) : ('add' as const),
      kind,
      kinds: KINDS.map((k) => ({ kind: k, title: kindInfo(k).title, fields: formFields(k) })),
      values: this.editing ? valuesFromProfile(this.editing) : (this.preset?.values ?? {}),
      sshProfiles: this.services.profiles.all().filter((p) => p.kind === 'ssh' && p.id !== this.profileId).map((p) => ({ id: p.id, name: p.name })),
      savedSecrets: this.editing ? saved : { password: false, passphrase: false },
    };
  }

  private async answer(request: FormRequest): Promise<FormResponses[FormRequest['type']]> {
    switch (request.type) {
      case 'parseUrl': {
        const parsed = parseConnectionUrl(request.text);
        return parsed ? { parsed } : {};
      }
      case 'pickFile': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use Key', title: 'Private key file', defaultUri: vscode.Uri.file(join(homedir(), '.ssh')) });
        return picked?.[0] ? { path: picked[0].fsPath } : {};
      }
      case 'test': {
        const { values, secrets } = splitSecrets(request.values);
        const result = profileFromValues(request.kind, this.profileId, { ...values, name: values['name'] || 'test' });
        if (!result.profile) return { ok: false, message: 'Fix the marked fields first.', errors: result.errors };
        const stored: Secrets = this.editing ? await this.services.secrets.read(this.profileId) : {};
        try {
          const description = await this.services.sessions.test(result.profile, { ...stored, ...secrets });
          return { ok: true, message: `Connected: ${description}`, errors: {} };
        } catch (error) {
          return { ok: false, message: messageOf(error), errors: {} };
        }
      }
      case 'save': {
        const result = await saveFromForm(this.services, request.kind, this.profileId, request.values);
        if (!result.profile) return { errors: result.errors };
        void vscode.window.showInformationMessage(`Saved connection "${result.profile.name}".`);
        this.panel.dispose();
        return { errors: {} };
      }
    }
  }
}
