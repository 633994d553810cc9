/**
 * Timeouts of the custom HTTP server (server/http/start.mjs), tight enough that a client cannot
 * hold a connection with slow headers or a body that never ends (Node's defaults allow about
 * 60 s and 300 s). Responses are not limited: server-sent event streams stay open.
 */

/** Whole request headers must arrive within this many milliseconds of the connection's first byte. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** The whole request, body included, must arrive within this (a 20 MB CSV upload needs ≥ 0.7 MB/s). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** An idle keep-alive connection is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let them overrun by that much). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** Options for `http.createServer(options, handler)`. */
export function serverTimeoutOptions() {
  return {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  };
}
