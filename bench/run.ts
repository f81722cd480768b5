import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServices } from '../test/services';
import { Figure, printFigures } from './figures';
import { activationFigures } from './activation';
import { sshFigures } from './ssh';
import { memcachedFigures } from './memcached';
import { redisFigures } from './redis';
import { redisExportFigures } from './redisExport';
import { redisMemoryFigures } from './redisMemory';
import { rabbitMqFigures } from './rabbitmq';
import { mySqlFigures } from './mysql';
import { sqlCompletionFigures } from './sqlCompletion';
import { tableDataFigures } from './tableData';

/** The areas of the bench, by name: `npm run bench -- redis mysql` runs those alone. */
const AREAS: Record<string, (root: string) => Figure[] | Promise<Figure[]>> = {
  bundles: bundleFigures,
  activation: activationFigures,
  ssh: (root) => sshFigures(root, process.env),
  memcached: memcachedFigures,
  redis: redisFigures,
  redisExport: redisExportFigures,
  redisMemory: redisMemoryFigures,
  rabbitmq: rabbitMqFigures,
  mysql: mySqlFigures,
  sqlCompletion: sqlCompletionFigures,
  tableData: tableDataFigures,
};

/**
 * `npm run bench`: starts private servers and prints each figure beside a raw baseline measured in the same run,
 * so the ratio means something on a shared, noisy machine. Later areas add their own figure modules here.
 */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in AREAS));
  if (unknown.length > 0) throw new Error(`no bench area ${unknown.join(', ')}: the areas are ${Object.keys(AREAS).join(', ')}`);
  const services = await startServices((line) => process.stderr.write(`[services] ${line}\n`));
  const figures: Figure[] = [];
  try {
    Object.assign(process.env, services.env);
    for (const [name, area] of Object.entries(AREAS)) {
      if (chosen.length === 0 || chosen.includes(name)) figures.push(...(await area(root)));
    }
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
