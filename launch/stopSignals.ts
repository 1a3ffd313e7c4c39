/** Signals closer together than this are one Ctrl-C delivered more than once. */
const SAME_SIGNAL_MS = 2_000;

/**
 * Keeps a launcher alive until its own shutdown is done. Ctrl-C reaches the process more than once:
 * from the terminal (to the whole process group) and again relayed by npm and tsx. The SDK stops the
 * workers on the first and then stops listening, so without a listener of ours the repeat would end
 * the process before the API and the dev server are stopped. A signal well after the first is a
 * person insisting: exit at once.
 */
export function holdUntilStopped(): void {
  let first: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    first ??= Date.now();
    if (Date.now() - first > SAME_SIGNAL_MS) {
      console.error(`  ${signal} again: exiting without waiting for the shutdown`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
