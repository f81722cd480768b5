import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServices } from '../test/services';
import { Figure, printFigures } from './figures';
import { activationFigures } from './activation';
import { sshFigures } from './ssh';
import { memcachedFigures } from './memcached';
import { redisFigures } from './redis';
import { rabbitMqFigures } from './rabbitmq';
import { mySqlFigures } from './mysql';

/**
 * `npm run bench`: starts private servers and prints each figure beside a raw baseline measured in the same run,
 * so the ratio means something on a shared, noisy machine. Later areas add their own figure modules here.
 */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const services = await startServices((line) => process.stderr.write(`[services] ${line}\n`));
  const figures: Figure[] = [];
  try {
    Object.assign(process.env, services.env);
    figures.push(...bundleFigures(root));
    figures.push(...activationFigures(root));
    figures.push(...(await sshFigures(root, process.env)));
    figures.push(...(await memcachedFigures(root)));
    figures.push(...(await redisFigures(root)));
    figures.push(...(await rabbitMqFigures(root)));
    figures.push(...(await mySqlFigures(root)));
  } finally {
    await services.stop();
  }
  printFigures(figures);
}

function bundleFigures(root: string): Figure[] {
  const dist = join(root, 'dist');
  const size = (path: string): number => statSync(path).size;
  const drivers = readdirSync(join(dist, 'drivers')).filter((f) => f.endsWith('.js'));
  return [
    { name: 'extension bundle (loaded at activation)', value: size(join(dist, 'extension.js')) / 1024, unit: 'KiB' },
    ...drivers.map((file) => ({ name: `driver bundle ${file} (loaded on first use)`, value: size(join(dist, 'drivers', file)) / 1024, unit: 'KiB' })),
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
