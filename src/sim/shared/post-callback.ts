/**
 * POSTs one callback from a simulator to the system's endpoint, as the provider would, trying a
 * few times when the endpoint does not acknowledge it (not 2xx, or `isAcked` false). Never throws:
 * a simulator must not fall over because the system under test is down. Returns whether acked.
 */
export async function postCallback(url: string, body: string, isAcked: (json: unknown) => boolean = () => true, tries = 4): Promise<boolean> {
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5000),
      });
      const json: unknown = await res.json().catch(() => undefined);
      if (res.ok && isAcked(json)) return true;
    } catch {
      // the endpoint is away: try again below
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
  return false;
}
