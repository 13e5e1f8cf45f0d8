import type { ProviderName } from '../domain/types.js';
import type { CallVerdict } from '../domain/verdict.js';
import { TransportError } from '../domain/errors.js';
import type { HttpAnswer, SendHooks } from '../http/post-json.js';

/**
 * One provider behind three steps: build a request, call, classify the answer.
 * `prepare` does all the work that can be done before a rate permit is taken (signing,
 * serialising), so that the time between permit and arrival stays short.
 */
export interface Provider<TPrepared extends PreparedCall> {
  readonly name: ProviderName;
  send(prepared: TPrepared, hooks?: SendHooks): Promise<HttpAnswer>;
  classify(prepared: TPrepared, answer: HttpAnswer | TransportError): CallVerdict;
}

/** What every prepared call carries: the targets it names, in order. */
export interface PreparedCall {
  readonly targets: readonly string[];
}

/** Sends and classifies; a transport failure is a verdict too, never an exception. */
export async function callProvider<T extends PreparedCall>(provider: Provider<T>, prepared: T, hooks?: SendHooks): Promise<CallVerdict> {
  try {
    return provider.classify(prepared, await provider.send(prepared, hooks));
  } catch (err) {
    if (err instanceof TransportError) return provider.classify(prepared, err);
    throw err;
  }
}
