import { formRestoreStep, pastedAddressStep } from './connectionForm';
import { addConnection, expand, runCommand, shot, UiStep } from './ui';

/**
 * The first connections: the view opens, a Redis connection from a pasted URL (and the form's paste rules), the other
 * kinds from the palette. Later steps build on them.
 */
export function connectionSteps(need: (key: string) => string): UiStep[] {
  return [
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
    formRestoreStep(need),
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
  ];
}
