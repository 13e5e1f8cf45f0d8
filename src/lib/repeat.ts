/**
 * Runs `task` now and every `everyMs` until stopped, without keeping the process alive. A failed
 * round goes to `onError`; the next one runs as planned.
 */
export function repeatEvery(everyMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): void } {
  const run = () => void task().catch(onError);
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
