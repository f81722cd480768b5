import { PortForward } from '../types';

export const forwardKey = (f: PortForward): string => `${f.localPort}:${f.remoteHost}:${f.remotePort}`;
export const forwardLabel = (f: PortForward): string => `127.0.0.1:${f.localPort} → ${f.remoteHost}:${f.remotePort}`;

/** "8080:db.internal:5432" or "8080:5432" (remote host defaults to localhost on the far side). */
export function parseForward(text: string): PortForward | undefined {
  const parts = text.trim().split(':');
  const port = (value: string | undefined): number | undefined => {
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
  };
  if (parts.length === 2) {
    const [local, remote] = [port(parts[0]), port(parts[1])];
    return local && remote ? { localPort: local, remoteHost: 'localhost', remotePort: remote } : undefined;
  }
  if (parts.length === 3 && parts[1]) {
    const [local, remote] = [port(parts[0]), port(parts[2])];
    return local && remote ? { localPort: local, remoteHost: parts[1], remotePort: remote } : undefined;
  }
  return undefined;
}
