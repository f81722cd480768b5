// Runs a function with the private test servers running (unless the environment already names servers).
export async function withServices(fn) {
  const { startServices } = await import('../out/test/services/index.js');
  const services = await startServices((line) => console.log(`[services] ${line}`));
  const stop = () => services.stop();
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(services.env);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  }
}
