import * as vscode from 'vscode';
import { strippedManagementUrl } from '../drivers/rabbitmq/managementUrl';
import { RabbitMqProfile } from '../drivers/types';
import { ProfileStore } from './profileStore';
import { SecretStore } from './secretStore';

/**
 * RabbitMQ profiles saved while management URLs could carry credentials (http://user:pass@host:15672): the URL is
 * kept without them, and the user is told. The URL's password is dropped, not moved to SecretStorage: the API signs
 * in with the connection's own user and secret (a URL with credentials never worked: fetch refuses such URLs), and
 * storing it as the connection's secret would replace the AMQP password with one given for another endpoint, maybe
 * for another user. Resolves with one message per profile changed.
 */
export async function dropManagementUrlCredentials(profiles: ProfileStore, secrets: SecretStore): Promise<string[]> {
  const changed: { profile: RabbitMqProfile; user: string; password: string }[] = [];
  for (const profile of profiles.all()) {
    if (profile.kind !== 'rabbitmq' || !profile.managementUrl) continue;
    const stripped = strippedManagementUrl(profile.managementUrl);
    if (!stripped) continue;
    changed.push({ profile: { ...profile, managementUrl: stripped.url }, user: stripped.user, password: decodeURIComponent(new URL(profile.managementUrl).password) });
  }
  if (changed.length === 0) return [];
  await profiles.saveMany(changed.map((c) => c.profile));
  return Promise.all(changed.map(async ({ profile, user, password }) => {
    const same = user === profile.username && password === ((await secrets.read(profile.id)).password ?? '');
    const signIn = same
      ? vscode.l10n.t('The management API signs in with the connection\'s own user and saved password, which are the ones the URL held.')
      : vscode.l10n.t('The management API signs in with the connection\'s own user "{0}" and its saved password; if that user may not use the API, give it the "management" tag.', profile.username);
    const removed = user
      ? vscode.l10n.t('"{0}": its management API URL held the user name "{1}" and a password, which Switchboard no longer keeps in a profile (profiles are plain data, in exports too), so they were removed; the URL is now {2}.', profile.name, user, profile.managementUrl ?? '')
      : vscode.l10n.t('"{0}": its management API URL held a password, which Switchboard no longer keeps in a profile (profiles are plain data, in exports too), so it was removed; the URL is now {1}.', profile.name, profile.managementUrl ?? '');
    return `${removed} ${signIn}`;
  }));
}
