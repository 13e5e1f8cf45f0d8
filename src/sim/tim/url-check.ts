import { TIM } from './codes.js';
import { checkSigFor, type UserSigCache } from './usersig.js';

export interface UrlCheckConfig {
  sdkAppId: number;
  admin: string;
}

const UINT32 = /^\d{1,10}$/;
const MAX_UINT32 = 4294967295;

/**
 * The URL's common parameters, checked in TIM's order, then the UserSig. Returns 0 when the call
 * may go on, else the code that refuses it. TIM documents no code per parameter; each line names
 * the closest documented common code.
 */
export function checkUrl(query: URLSearchParams, config: UrlCheckConfig, sigs: UserSigCache, nowMs: number): number {
  const sdkAppId = query.get('sdkappid');
  // 60012: "the REST API needs an SDKAppID in the URL".
  if (!sdkAppId) return TIM.SDKAPPID_MISSING;
  // 60006: "SDKAppID is invalid". A real deployment answers this for an app it does not host.
  if (!UINT32.test(sdkAppId) || Number(sdkAppId) !== config.sdkAppId) return TIM.SDKAPPID_INVALID;
  const identifier = query.get('identifier');
  const userSig = query.get('usersig');
  // 60004: "account or signature error in the request URL".
  if (!identifier || !userSig) return TIM.ACCOUNT_OR_SIG;
  // 60002: "HTTP parse error, check the URL format": random is a 32-bit unsigned number...
  const random = query.get('random');
  if (random === null || !UINT32.test(random) || Number(random) > MAX_UINT32) return TIM.HTTP_PARSE;
  // ...and contenttype is always json.
  if (query.get('contenttype') !== 'json') return TIM.HTTP_PARSE;
  // 60010: "the request needs an App administrator".
  if (identifier !== config.admin) return TIM.NEEDS_ADMIN;
  return checkSigFor(sigs.decode(userSig), identifier, config.sdkAppId, nowMs);
}
