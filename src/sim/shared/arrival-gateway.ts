import { Worker } from 'node:worker_threads';

/** The header by which the gateway hands its arrival stamp to the simulator behind it. */
export const ARRIVAL_HEADER = 'x-sim-arrived-at';

export interface ArrivalGateway {
  port: number;
  close(): Promise<void>;
}

/**
 * A thread of its own in front of a simulator's HTTP server: it stamps each request the moment its
 * head is parsed and passes it on, the stamp in ARRIVAL_HEADER. TIM stamps arrivals at its
 * gateway, whatever its back end is doing; a simulator that stamped on its own event loop was late
 * by its own GC pauses (up to 17 ms) and by the calls it was still serving (a burst of 1000-target
 * calls), and counted sliding seconds over the limit that TIM would not have seen. The thread
 * raises its own scheduling priority where it may: TIM's edge has CPUs of its own, and on 2 cores
 * kept busy by 4 workers a thread at the default priority waited up to 35 ms for one.
 */
export async function startArrivalGateway(host: string, port: number, backendPort: number): Promise<ArrivalGateway> {
  const thread = new Worker(new URL('./arrival-gateway-thread.cjs', import.meta.url), {
    workerData: { host, port, backendPort, header: ARRIVAL_HEADER },
  });
  const listening = await new Promise<number>((resolve, reject) => {
    thread.once('message', (m: { port: number }) => resolve(m.port));
    thread.once('error', reject);
  });
  let closing: Promise<void> | undefined;
  return {
    port: listening,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        thread.once('message', () => void thread.terminate().then(() => resolve()));
        thread.postMessage('close');
      })),
  };
}

/** The gateway's stamp on a request, or undefined when it has none. */
export function gatewayStamp(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = headers[ARRIVAL_HEADER];
  const at = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(at) ? at : undefined;
}
