/**
 * Resolves with `promise`, or with undefined after `ms`. Our Redis connections queue commands
 * while Redis is down (maxRetriesPerRequest: null), so a scrape must not wait on them forever.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
