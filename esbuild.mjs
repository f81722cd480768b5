// Builds the extension (Node, CommonJS), one bundle per driver kind (loaded on first use) and one per webview panel.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const kinds = ['redis', 'memcached', 'rabbitmq', 'mysql', 'ssh'];
const panels = readdirSync('webview', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`webview/${d.name}/main.ts`))
  .map((d) => d.name);

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ssh2's native crypto and cpu-features are optional: without them it uses its pure-JS code.
  // Sequelize's other dialects are never used; pg-hstore is its optional Postgres helper.
  external: ['vscode', 'cpu-features', '*.node', 'pg-hstore', 'pg', 'sqlite3', 'tedious', 'oracledb', 'ibm_db', 'snowflake-sdk', 'mariadb'],
};

const configs = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: Object.fromEntries(kinds.map((k) => [k, `src/drivers/${k}/index.ts`])), outdir: 'dist/drivers' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Each main.ts imports its main.css, which esbuild writes beside the script as <panel>.css.
    entryPoints: Object.fromEntries(panels.map((p) => [p, `webview/${p}/main.ts`])),
    outdir: 'dist/webview',
  },
];

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
