import { DriverError } from '../drivers/errors';
import { Profile, Secrets } from '../drivers/types';
import { BoundSecret, describeEndpoint, endpointOf, sameEndpoint } from '../storage/secretEndpoint';
import { ProfileLookup, SecretStore } from '../storage/secretStore';

/** Asks whether a password entered for one endpoint may be sent to another; `what` names it ("password"). */
export type EndpointConfirm = (profile: Profile, enteredFor: string, goesTo: string, what: string) => Promise<boolean>;

const WHAT: Readonly<Record<BoundSecret, string>> = { password: 'password', sentinelPassword: 'Sentinel password' };

/**
 * For connections whose password is not entered in a form (those of a workspace connection file): asked for the
 * first time it is needed, then kept like any other. An empty answer means the server needs none, remembered for
 * that endpoint too.
 */
export interface MissingPassword {
  applies(profile: Profile): boolean;
  /** Undefined when the user cancels; '' when no password is needed. */
  ask(profile: Profile, endpoint: string): Promise<string | undefined>;
}

const WORDS = {
  cancelled: (name: string) => `${name}: no password was entered, so it was not connected.`,
  cancelledHint: 'Connect again to enter it (leave it empty if the server needs none).',
  rejected: 'The saved password was forgotten: you will be asked for it when you connect again.',
  notSent: (name: string, what: string, enteredFor: string, goesTo: string) => `${name}: its saved ${what} was entered for ${enteredFor}, and the connection now goes to ${goesTo}. The ${what} was not sent.`,
  notSentHint: (what: string) => `Edit the connection and enter the ${what} for the new endpoint, or connect again and agree to send it.`,
};

/**
 * Hands out a profile's secrets for a connection attempt. A password goes only to the endpoint it was entered for:
 * when a connection was edited or imported to point at another server, user, transport or SSH carrier, the user is
 * asked first, and nothing is sent unless they agree; a Redis profile's Sentinel password is bound the same way to its
 * Sentinels. A key's passphrase never leaves the machine and is not checked.
 */
export class SecretGate {
  constructor(
    private readonly store: SecretStore,
    private readonly lookup: ProfileLookup,
    private readonly confirm: EndpointConfirm,
    private readonly missing?: MissingPassword,
  ) {}

  /**
   * The secrets to connect `profile` with: `typed` ones (a form's fields) first, then the stored ones. `remember`
   * records an agreed new endpoint, so the question is not asked again; a form's unsaved test leaves it as it was.
   */
  async secretsFor(profile: Profile, { typed = {}, remember = true }: { typed?: Secrets; remember?: boolean } = {}): Promise<Secrets> {
    const stored = await this.store.read(profile.id);
    let password = typed.password ?? (stored.password !== undefined ? await this.checked(profile, 'password', stored.password, remember) : undefined);
    if (password === undefined && this.missing?.applies(profile)) password = await this.askOnce(profile, this.missing);
    const passphrase = typed.passphrase ?? stored.passphrase;
    // A Sentinel password goes only to Sentinels: a profile that names none has no use for it.
    const sentinels = profile.kind === 'redis' && (profile.sentinels?.length ?? 0) > 0;
    const sentinelPassword = !sentinels ? undefined : typed.sentinelPassword ?? (stored.sentinelPassword !== undefined ? await this.checked(profile, 'sentinelPassword', stored.sentinelPassword, remember) : undefined);
    return { ...(password !== undefined ? { password } : {}), ...(passphrase !== undefined ? { passphrase } : {}), ...(sentinelPassword !== undefined ? { sentinelPassword } : {}) };
  }

  /**
   * Asks for the password the first time this connection needs one at its endpoint. An answer is stored bound to the
   * endpoint, so it is not asked again there; an endpoint the file later points elsewhere is asked about anew.
   */
  private async askOnce(profile: Profile, missing: MissingPassword): Promise<string | undefined> {
    const now = endpointOf('password', profile, this.lookup);
    const bound = await this.store.boundEndpoint(profile.id, 'password');
    if (bound && sameEndpoint(bound, now)) return undefined;
    const answer = await missing.ask(profile, describeEndpoint(now)).catch(() => undefined);
    if (answer === undefined) throw new DriverError('auth', WORDS.cancelled(profile.name), { worded: WORDS.cancelledHint });
    if (answer) await this.store.write(profile, { password: answer }, this.lookup);
    else await this.store.bind(profile, this.lookup, 'password');
    return answer || undefined;
  }

  /**
   * The server refused the login. A password that was asked for (not typed into a form) is forgotten, so that the
   * next connection asks again instead of failing the same way; resolves the error to report.
   */
  async rejected(profile: Profile, error: DriverError): Promise<DriverError> {
    if (!this.missing?.applies(profile)) return error;
    await this.store.forgetPassword(profile.id);
    // The driver's own hint (edit the connection) is replaced: this one's password is asked for, not edited.
    const message = error.hint && error.message.endsWith(` ${error.hint}`) ? error.message.slice(0, -error.hint.length - 1) : error.message;
    return new DriverError(error.code, message, { worded: WORDS.rejected }, { cause: error });
  }

  private async checked(profile: Profile, name: BoundSecret, secret: string, remember: boolean): Promise<string> {
    const lookup = this.lookup;
    const now = endpointOf(name, profile, lookup);
    const bound = await this.store.boundEndpoint(profile.id, name);
    // A password saved before endpoints were recorded is taken as meant for where the connection points now.
    if (!bound) {
      await this.store.bind(profile, lookup, name);
      return secret;
    }
    if (sameEndpoint(bound, now)) return secret;
    const enteredFor = describeEndpoint(bound);
    const goesTo = describeEndpoint(now);
    // A question that cannot be asked (no window to ask in) is a no.
    if (!(await this.confirm(profile, enteredFor, goesTo, WHAT[name]).catch(() => false))) {
      throw new DriverError('auth', WORDS.notSent(profile.name, WHAT[name], enteredFor, goesTo), { worded: WORDS.notSentHint(WHAT[name]) });
    }
    if (remember) await this.store.bind(profile, lookup, name);
    return secret;
  }
}
