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
  // jsonc-parser's default (UMD) entry requires its parts at run time, which a bundle cannot; its ES module entry bundles.
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', mainFields: ['module', 'main'] },
  // The ORM scratchpad runs on a worker thread of its own, from its own bundle beside the MySQL driver's.
  { ...node, entryPoints: { ...Object.fromEntries(kinds.map((k) => [k, `src/drivers/${k}/index.ts`])), scratchpadWorker: 'src/drivers/mysql/scratchpadWorker.ts' }, outdir: 'dist/drivers' },
  // Editor tools loaded on first use: the SQL formatter.
  { ...node, entryPoints: { formatSql: 'src/editors/formatSql.ts' }, outdir: 'dist/editors' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Each main.ts imports its main.css, which esbuild writes beside the script as <panel>.css; the codicon font
    // that panels' CSS may import is copied beside them under its own name.
    entryPoints: Object.fromEntries(panels.map((p) => [p, `webview/${p}/main.ts`])),
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
