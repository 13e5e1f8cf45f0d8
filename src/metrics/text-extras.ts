import type { Registry } from 'prom-client';

/** Prometheus text made outside prom-client (BullMQ's own export), served after a registry's. */
export type TextSource = () => Promise<string>;

const extras = new WeakMap<Registry, TextSource[]>();

/** Adds a source to the registry's /metrics, once per name (`npm start` registers twice). */
export function addTextSource(registry: Registry, name: string, source: TextSource): void {
  const list = extras.get(registry) ?? [];
  if ((list as Array<TextSource & { sourceName?: string }>).some((s) => s.sourceName === name)) return;
  list.push(Object.assign(source, { sourceName: name }));
  extras.set(registry, list);
}

/** The registry's text and its extra sources', as `/metrics` serves it (route and worker server). */
export async function renderMetrics(registry: Registry): Promise<string> {
  const texts = await Promise.all([registry.metrics(), ...(extras.get(registry) ?? []).map((source) => source().catch(() => ''))]);
  return texts
    .filter((t) => t !== '')
    .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
    .join('');
}
