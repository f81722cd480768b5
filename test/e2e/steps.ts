import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import { connect as amqp } from 'amqplib';
import { addConnection, expand, panelFrame, row, runCommand, seedMemcached, shot, typeLines, UiStep, waitInView } from './ui';
import { hostileContentStep } from './hostileContent';
import { pastedAddressStep } from './connectionForm';
import { panelRestoreSteps, sqlRestoreSteps } from './panelRestore';
import { messagesKeptSteps } from './messagesKept';
import { diagramStep } from './diagramStep';
import { sftpSafetySteps } from './sftpSafety';
import { redisMembersStep } from './redisMembers';
import { redisDecodersStep } from './redisDecoders';
import { walkthroughDoneStep, walkthroughOpenedStep } from './walkthrough';
import { redisServerPanelSteps } from './redisServerPanels';
import { redisStreamsStep } from './redisStreams';
import { rabbitMqPanelSteps } from './rabbitMqPanelSteps';
import { memcachedPanelSteps } from './memcachedPanelSteps';
import { memcachedDecodersStep } from './memcachedDecoders';
import { keyboardSteps } from './keyboardSteps';
import { tableDataSteps } from './tableData';
import { redisConsoleStep } from './redisConsole';
import { mysqlServerViewsStep } from './mysqlServerViews';
import { mysqlAccountsStep } from './mysqlAccounts';
import { redisBrowserKeySteps } from './redisBrowserKeys';
import { ormResultsStep } from './ormResults';

export type { UiStep };

export function uiSteps(env: Record<string, string>): UiStep[] {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`${key} is not set`);
    return value;
  };
  return [
    walkthroughOpenedStep,
    {
      name: 'opens the Switchboard view with its welcome',
      setup: true,
      async run(page) {
        await page.locator('.part.activitybar [aria-label^="Switchboard"]').first().click();
        await page.getByText('No connections yet').waitFor({ timeout: 30_000 });
        await shot(page, '01-welcome');
      },
    },
    {
      name: 'adds a Redis connection from a pasted URL and connects on expand',
      setup: true,
      async run(page) {
        await page.getByRole('button', { name: 'Add Connection' }).first().click();
        await addConnection(page, 'Demo Redis', need('REDIS_URL'), {}, '02-connection-form');
        await expand(page, 'Demo Redis', /^db0/);
        await shot(page, '03-redis-connected');
      },
    },
    pastedAddressStep,
    {
      name: 'adds Memcached, RabbitMQ and MariaDB from the command palette',
      setup: true,
      async run(page) {
        await runCommand(page, 'Switchboard: Add Connection');
        await addConnection(page, 'Demo Memcached', need('MEMCACHED_SERVERS'));
        await runCommand(page, 'Switchboard: Add Connection');
        await addConnection(page, 'Demo RabbitMQ', need('AMQP_URL'), { managementUrl: need('RABBITMQ_MGMT_URL') });
        await runCommand(page, 'Switchboard: Add Connection');
        await addConnection(page, 'Demo MariaDB', need('MYSQL_URL'));
        await expand(page, 'Demo Memcached', /127\.0\.0\.1:\d+/);
        await expand(page, 'Demo RabbitMQ', /^\//);
        await expand(page, 'Demo MariaDB', /^demo/);
      },
    },
    {
      name: 'adds an SSH host, shows its fingerprint before trusting it, and lists host facts',
      async run(page) {
        await runCommand(page, 'Switchboard: Add Connection');
        await addConnection(page, 'Demo SSH', `${need('SSH_USER')}@${need('SSH_HOST')}:${need('SSH_PORT')}`, { password: need('SSH_PASSWORD') });
        await row(page, 'Demo SSH').click();
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.filter({ hasText: "can't be established" }).waitFor({ timeout: 30_000 });
        await dialog.getByText(/SHA256:/).waitFor();
        await shot(page, '04-ssh-host-key');
        await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
        await row(page, /^System/).waitFor({ timeout: 30_000 });
        await shot(page, '05-all-connected');
      },
    },
    {
      name: 'opens a remote terminal and a remote file from the SSH connection',
      async run(page) {
        await runCommand(page, 'Switchboard: Open SSH Terminal');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo SSH' }).first().click();
        const screen = page.locator('.terminal-wrapper .xterm-rows').last();
        await screen.filter({ hasText: '$' }).waitFor({ timeout: 30_000 });
        await page.keyboard.type('echo "hello from $(whoami) on $(uname -s)"');
        await page.keyboard.press('Enter');
        await screen.filter({ hasText: `hello from ${need('SSH_USER')} on Linux` }).waitFor({ timeout: 15_000 });
        await shot(page, '06-ssh-terminal');
        await row(page, /^Files/).click();
        await row(page, /^\.profile/).click();
        await page.locator('.tabs-container .tab').filter({ hasText: '.profile' }).waitFor({ timeout: 15_000 });
        await page.locator('.monaco-editor .view-lines').filter({ hasText: 'PATH' }).first().waitFor({ timeout: 15_000 });
        await shot(page, '07-sftp-file');
      },
    },
    ...sftpSafetySteps(need),
    {
      name: 'browses Memcached keys, filters them and saves a value with cas',
      async run(page) {
        await seedMemcached(need('MEMCACHED_SERVERS'), { 'e2e:greeting': 'hello', 'e2e:config': '{"theme":"dark","beta":true}', 'e2e:visits': '41' });
        // Make room: hide the terminal panel (Ctrl+J toggles it) and close the editors.
        if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Switchboard: Browse Memcached Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
        const browser = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await browser.locator('.status').filter({ hasText: /\d+ keys/ }).first().waitFor({ timeout: 30_000 });
        await browser.locator('input[type="search"]').fill('e2e:');
        // The filter redraws the list on the next frame: wait for it before picking a row.
        await browser.locator('.status').filter({ hasText: /^3 (of [\d,]+ )?keys/ }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:greeting' }).click();
        const value = browser.locator('.details textarea');
        await value.waitFor();
        await value.fill('hello, edited in Switchboard');
        await browser.getByRole('button', { name: 'Save' }).click();
        await browser.getByText('Saved (cas matched).').waitFor({ timeout: 10_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:config' }).click();
        await browser.locator('.details').getByText('JSON').waitFor();
        await shot(page, '08-memcached-browser');
      },
    },
    ...memcachedPanelSteps(need),
    memcachedDecodersStep(need),
    {
      name: 'browses Redis keys with SCAN, reads a hash and edits a string',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        await redis.hset('user:1001', { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' });
        await redis.set('greeting', 'hello');
        await redis.zadd('leaderboard', 3200, 'ada', 2950, 'grace');
        await redis.rpush('queue:emails', 'welcome:1001', 'digest:1002');
        redis.disconnect();
        await runCommand(page, 'View: Close All Editors');
        await row(page, /^db0/).click();
        const browser = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await browser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'Ada Lovelace' }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'greeting' }).click();
        const value = browser.locator('.details textarea');
        await value.fill('hello from Switchboard');
        await browser.getByRole('button', { name: 'Save' }).click();
        await browser.getByText('Saved.').waitFor({ timeout: 10_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'Ada Lovelace' }).waitFor();
        await browser.getByPlaceholder('field').fill('team');
        await browser.getByPlaceholder('value', { exact: true }).fill('analytical engines');
        // Typed in another box and not used yet: the pane reads the key again after the add, and keeps it.
        await browser.getByRole('textbox', { name: 'New name' }).fill('user:1001:renamed-later');
        await browser.getByRole('button', { name: 'Add' }).click();
        await browser.locator('.details .status').filter({ hasText: 'Changed.' }).waitFor();
        await browser.locator('.details td').filter({ hasText: 'analytical engines' }).waitFor();
        await browser.locator('.details[aria-busy]').waitFor({ state: 'detached' });
        const kept = await browser.getByRole('textbox', { name: 'New name' }).inputValue();
        if (kept !== 'user:1001:renamed-later') throw new Error(`the new name typed before the add became "${kept}" when the pane read the key again`);
        if (await browser.getByPlaceholder('field').inputValue()) throw new Error('the field just added is still in the add box');
        await browser.locator('.vlist-row:visible').filter({ hasText: 'greeting' }).click();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'analytical engines' }).waitFor();
        await shot(page, '09-redis-browser');
      },
    },
    ...redisBrowserKeySteps(need),
    redisMembersStep(need),
    redisDecodersStep(need),
    redisStreamsStep(need),
    {
      name: 'subscribes to Redis channels and sees published messages live',
      async run(page) {
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Switchboard: Open Redis Pub/Sub');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await panel.getByLabel('Channels').fill('orders notifications');
        await panel.getByLabel('Patterns').fill('events.*');
        await panel.getByRole('button', { name: 'Subscribe', exact: true }).click();
        // The whole subscription, patterns included ("not subscribed" before it also holds the word "subscribed").
        await panel.locator('header .status').filter({ hasText: 'subscribed to orders, notifications, events.* (pattern)' }).waitFor();
        const redis = new Redis(need('REDIS_URL'));
        await redis.publish('orders', JSON.stringify({ order: 1001, total: 42.5 }));
        await redis.publish('events.shipped', 'order 1001 shipped');
        redis.disconnect();
        await panel.getByLabel('Channel to publish to').fill('notifications');
        await panel.getByLabel('Message to publish').fill('hello from the panel');
        await panel.getByRole('button', { name: 'Publish' }).click();
        await panel.getByText('delivered to 1 subscriber').waitFor();
        await panel.locator('.vlist-row:visible').filter({ hasText: 'hello from the panel' }).waitFor({ timeout: 10_000 });
        await panel.locator('.vlist-row:visible').filter({ hasText: 'order 1001 shipped' }).waitFor();
        await shot(page, '10-redis-pubsub');
      },
    },
    ...panelRestoreSteps(need),
    ...keyboardSteps(need),
    redisConsoleStep(need),
    {
      name: 'scans 1,000,000 Redis keys into the browser, scrolls to the end, and folds them into a tree with counts',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        await redis.call('DEBUG', 'POPULATE', '1000000', 'bulk', '8');
        // The SQL editor of the step before is unsaved: close it without saving.
        await runCommand(page, 'View: Close All Editors');
        const dontSave = page.getByRole('button', { name: "Don't Save" });
        await dontSave.waitFor({ timeout: 5000 }).then(() => dontSave.click(), () => undefined);
        await runCommand(page, 'Switchboard: Browse Redis Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.locator('.status').filter({ hasText: /^1,000,0\d\d keys · done in/ }).waitFor({ timeout: 180_000 });
        const keys = browser.getByRole('listbox', { name: 'Keys' });
        await keys.click();
        // End, Home and the page keys choose a key and open it; the list narrows for the value pane, and the chosen
        // row stays in view (it dropped out when the pane opened).
        const chosen = browser.locator('.vlist-row[aria-selected="true"]');
        const opened = async (): Promise<string> => {
          // A row whose key has not arrived from the host yet shows "…".
          const cell = chosen.locator('.c0').filter({ hasNotText: /^\s*…\s*$/ });
          await cell.waitFor({ timeout: 10_000 });
          const key = ((await cell.textContent()) ?? '').trim();
          await browser.locator('.details h2').filter({ hasText: key }).waitFor({ timeout: 10_000 });
          await waitInView(keys, chosen, true);
          return key;
        };
        await page.keyboard.press('End');
        await chosen.filter({ hasText: /:/ }).waitFor({ timeout: 10_000 });
        const last = await opened();
        await keys.focus();
        await page.keyboard.press('Home');
        await chosen.filter({ hasNotText: last }).waitFor({ timeout: 10_000 });
        const first = await opened();
        await keys.focus();
        await page.keyboard.press('PageDown');
        await chosen.filter({ hasNotText: first }).waitFor({ timeout: 10_000 });
        const paged = Number(await chosen.getAttribute('data-index'));
        if (!(paged > 1)) throw new Error(`Page Down moved the selection to row ${paged}`);
        await opened();
        await keys.focus();
        await page.keyboard.press('PageUp');
        await chosen.filter({ hasText: first }).waitFor({ timeout: 10_000 });
        await opened();
        await browser.getByLabel('Show keys as').selectOption('tree');
        const bulk = browser.locator('.vlist-row:visible').filter({ hasText: '▸ bulk:' });
        await bulk.filter({ hasText: '1,000,000 keys' }).waitFor({ timeout: 10_000 });
        // The folder's count is drawn whole, not cut to "1,000,00…".
        const cut = await bulk.first().evaluate((folder) => [...folder.querySelectorAll('.cell')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
        if (cut.length > 0) throw new Error(`the folder row is cut: ${cut.join(' | ')}`);
        await bulk.dblclick();
        await browser.locator('.vlist-row:visible').filter({ hasText: '▾ bulk:' }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: /^\u2003\d+/ }).first().waitFor({ timeout: 10_000 });
        await shot(page, '14-redis-million-keys');
        await redis.flushdb();
        redis.disconnect();
      },
    },
    {
      name: 'publishes to RabbitMQ with properties, tails the exchange live and peeks the queue',
      async run(page) {
        const broker = await amqp(need('AMQP_URL'));
        const channel = await broker.createChannel();
        await channel.assertQueue('e2e.orders', { durable: false });
        await channel.bindQueue('e2e.orders', 'amq.topic', 'orders.#');
        await channel.purgeQueue('e2e.orders');
        await broker.close();
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Switchboard: Open RabbitMQ Messages');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo RabbitMQ' }).first().click();
        const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await panel.getByRole('tab', { name: 'Tail' }).click();
        await panel.getByLabel('Exchange to tail').fill('amq.topic');
        await panel.getByLabel('Routing pattern').fill('orders.*');
        await panel.getByRole('button', { name: 'Start tail' }).click();
        await panel.getByText(/^live: tailing amq\.topic/).waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Publish' }).click();
        const publish = panel.locator('#pane-publish');
        await publish.getByLabel('Exchange').fill('amq.topic');
        await publish.getByLabel('Routing key').fill('orders.created');
        await publish.getByLabel('Body encoding').selectOption('json');
        await publish.getByLabel('Message body').fill('{"order": 1001, "total": 42.5, "note": "<b>not bold</b>"}');
        await publish.getByText('Properties and headers').click();
        await publish.getByLabel('Headers as JSON').fill('{"tenant": "acme"}');
        await publish.getByLabel('Correlation id').fill('e2e-1');
        await panel.getByRole('button', { name: 'Publish', exact: true }).click();
        await panel.getByText(/^Published 1, confirmed 1/).waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Tail' }).click();
        await panel.locator('#pane-tail .vlist-row:visible').filter({ hasText: 'orders.created' }).first().waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Get' }).click();
        await panel.locator('#pane-get').getByLabel('Queue').fill('e2e.orders');
        await panel.getByRole('button', { name: 'Get messages' }).click();
        await panel.getByText(/^1 message peeked/).waitFor({ timeout: 10_000 });
        await panel.locator('#pane-get .vlist-row:visible').last().click();
        await panel.locator('#pane-get .details dd').filter({ hasText: 'acme' }).waitFor();
        await panel.locator('#pane-get .details pre').filter({ hasText: '<b>not bold</b>' }).waitFor();
        await shot(page, '11-rabbitmq-messages');
      },
    },
    ...rabbitMqPanelSteps(need),
    {
      name: 'runs SQL from an editor with Ctrl+Enter into the results grid, then builds an ORM query on the live models',
      async run(page) {
        const db = await createConnection(need('MYSQL_URL'));
        await db.query('CREATE TABLE IF NOT EXISTS e2e_customers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, email VARCHAR(120) NULL, note TEXT NULL)');
        await db.query('CREATE TABLE IF NOT EXISTS e2e_orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, FOREIGN KEY (customer_id) REFERENCES e2e_customers(id))');
        await db.query("INSERT IGNORE INTO e2e_customers VALUES (1, 'Ada Lovelace', 'ada@example.com', NULL), (2, 'Grace Hopper', NULL, '<script>alert(1)</script>')");
        await db.query('INSERT IGNORE INTO e2e_orders VALUES (10, 1, 49.90), (11, 1, 19.50), (12, 2, 5.00)');
        await db.end();
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'Switchboard: New SQL Query');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo MariaDB' }).first().click();
        await page.locator('.statusbar-item').filter({ hasText: 'Demo MariaDB' }).first().waitFor({ timeout: 10_000 });
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await typeLines(page, 'SELECT c.id, c.name, c.email, c.note, COUNT(o.id) AS orders\nFROM e2e_customers c LEFT JOIN e2e_orders o ON o.customer_id = c.id\nGROUP BY c.id ORDER BY c.id;');
        await page.keyboard.press('Control+Enter');
        const results = await panelFrame(page, 'sqlResults');
        await results.locator('.vlist-row:visible').filter({ hasText: 'Ada Lovelace' }).waitFor({ timeout: 20_000 });
        await results.locator('.vlist-row:visible .null').first().waitFor();
        await results.locator('.vlist-row:visible').filter({ hasText: '<script>alert(1)</script>' }).waitFor();
        await results.locator('.status').filter({ hasText: /^Done in/ }).waitFor();
        await shot(page, '12-mysql-results');
        await runCommand(page, 'Switchboard: Open ORM Query Builder');
        const builder = await panelFrame(page, 'ormBuilder');
        await builder.getByLabel('Model', { exact: true }).selectOption('E2eOrder');
        await builder.getByLabel('Include customer').check();
        await builder.getByRole('button', { name: 'Add condition' }).click();
        await builder.getByLabel('Attribute', { exact: true }).selectOption('customer.name');
        await builder.getByLabel('Operator', { exact: true }).selectOption('like');
        await builder.getByLabel('Value', { exact: true }).fill('Ada%');
        await builder.getByRole('button', { name: 'Show SQL' }).click();
        await builder.locator('.sql').filter({ hasText: 'LEFT OUTER JOIN `e2e_customers` AS `customer`' }).waitFor({ timeout: 10_000 });
        await builder.getByRole('button', { name: 'Run', exact: true }).click();
        await builder.locator('header .status').filter({ hasText: '2 rows, one per E2eOrder instance.' }).waitFor({ timeout: 10_000 });
        await builder.getByRole('table', { name: 'Results' }).locator('td').filter({ hasText: '49.90' }).waitFor({ timeout: 10_000 });
        await shot(page, '13-orm-builder');
        // The plan of the SELECT the builder sends, in the EXPLAIN panel; then back to the builder.
        await builder.getByRole('button', { name: 'Explain…' }).click();
        const plan = await panelFrame(page, 'mysqlExplain');
        await plan.locator('.statement').filter({ hasText: 'LEFT OUTER JOIN `e2e_customers` AS `customer`' }).waitFor({ timeout: 15_000 });
        await plan.locator('.step-label').filter({ hasText: /^Table / }).first().waitFor({ timeout: 15_000 });
        // Its own tab closed, the builder it opened from is the one shown in that group again.
        const explainTab = page.locator('.tabs-container .tab').filter({ hasText: 'Demo MariaDB: EXPLAIN' });
        await explainTab.hover();
        await explainTab.locator('.tab-actions .action-label').first().click();
        await explainTab.waitFor({ state: 'detached' });
        await (await panelFrame(page, 'ormBuilder')).getByRole('table', { name: 'Results' }).locator('td').filter({ hasText: '49.90' }).first().waitFor({ timeout: 10_000 });
      },
    },
    ormResultsStep,
    ...sqlRestoreSteps(need),
    diagramStep,
    ...tableDataSteps(need),
    {
      name: 'streams 1,000,000 rows into the results grid, scrolls to the last one, and cancels a running query on the server',
      async run(page) {
        await runCommand(page, 'Switchboard: New SQL Query');
        await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: 'Demo MariaDB' }).waitFor();
        await page.keyboard.press('Enter');
        await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
        const runSql = async (sql: string): Promise<void> => {
          await page.keyboard.press('Control+A');
          await page.keyboard.insertText(sql);
          await page.keyboard.press('Control+Enter');
        };
        await runSql("SELECT seq, CONCAT('row ', seq) AS label FROM seq_1_to_1000000;");
        const results = await panelFrame(page, 'sqlResults');
        // The statement's message (kept on the Messages tab) is written once every row has arrived.
        await results.locator('.message').filter({ hasText: 'seq_1_to_1000000' }).filter({ hasText: '1,000,000 rows ·' }).waitFor({ state: 'attached', timeout: 120_000 });
        await results.getByRole('listbox', { name: 'Rows' }).click();
        await page.keyboard.press('End');
        await results.locator('.vlist-row[aria-selected="true"]').filter({ hasText: 'row 1000000' }).waitFor({ timeout: 10_000 });
        await shot(page, '16-mysql-million-rows');
        // The wheel moves by rows, not by the scroll bar's scaled range: 10 rows (220 px) up, row 999,990 is at the bottom.
        const grid = results.getByRole('listbox', { name: 'Rows' });
        await grid.hover();
        await page.mouse.wheel(0, -220);
        await waitInView(grid, results.locator('.vlist-row').filter({ hasText: 'row 999990' }), true);
        await waitInView(grid, results.locator('.vlist-row').filter({ hasText: 'row 999991' }), false);
        // Back to the SQL editor (the grid has the focus), by keyboard.
        await runCommand(page, 'View: Focus First Editor Group');
        await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
        await runSql('SELECT SLEEP(60) AS slow;');
        await results.getByRole('button', { name: 'Cancel query' }).click({ timeout: 10_000 });
        await results.locator('.status').filter({ hasText: /^Cancelled in/ }).waitFor({ timeout: 10_000 });
        await results.locator('.message').filter({ hasText: 'SLEEP(60)' }).filter({ hasText: 'cancelled' }).waitFor({ state: 'attached' });
        // KILL QUERY stopped it on the server too, not only in the grid.
        const db = await createConnection(need('MYSQL_URL'));
        const [running] = await db.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'");
        await db.end();
        if ((running as { n: number }[])[0]?.n !== 0) throw new Error('the cancelled query still runs on the server');
      },
    },
    mysqlServerViewsStep(need),
    hostileContentStep(need),
    ...messagesKeptSteps(need),
    ...redisServerPanelSteps(need),
    // Last of the MariaDB work: it folds the tree (Collapse All), which the steps before it do not expect.
    mysqlAccountsStep(need),
    walkthroughDoneStep,
  ];
}
