import { writeFileSync } from 'node:fs';
import { startServices } from './index';

/** `node out/test/services/cli.js [env-file]`: starts the private servers, writes their variables, stops on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const services = await startServices((line) => process.stderr.write(`${line}\n`));
  const json = JSON.stringify(services.env, null, 2);
  const file = process.argv[2];
  if (file) writeFileSync(file, json);
  else process.stdout.write(`${json}\n`);
  const shutdown = (): void => void services.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
