export declare const HEADERS_TIMEOUT_MS: number;
export declare const REQUEST_TIMEOUT_MS: number;
export declare const KEEP_ALIVE_TIMEOUT_MS: number;
export declare const CONNECTIONS_CHECKING_INTERVAL_MS: number;
export declare function serverTimeoutOptions(): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
};
