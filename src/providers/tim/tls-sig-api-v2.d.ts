// tls-sig-api-v2 1.0.2 is CommonJS without types. Node's ESM loader finds its `exports.Api`, so a
// named import works; only what we call is declared.
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkappid: number, key: string);
    /** Signs `userid` for `expire` seconds from now, where "now" is the library's own Date.now(). */
    genSig(userid: string, expire: number, userBuf?: Buffer | null): string;
    genUserSig(userid: string, expire: number): string;
  }
}
