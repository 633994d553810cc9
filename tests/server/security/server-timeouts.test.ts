/**
 * Slow-client protection of the custom server, with real sockets: headers that trickle in and a
 * body that never ends are cut within seconds of the configured limits (Node's defaults held
 * them for about 60 s and 300 s), and idle keep-alive connections are closed.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  serverTimeoutOptions,
} from "@/server/http/server-timeouts.mjs";

const SLACK_MS = 2_500;

/** Resolves with ms until the server closes the socket, and what it answered. */
function watch(socket: Socket, started: number): Promise<{ ms: number; answer: string }> {
  let answer = "";
  socket.on("data", (d) => (answer += d.toString("latin1")));
  return new Promise((resolve) => socket.on("close", () => resolve({ ms: Date.now() - started, answer })));
}

describe("custom server timeouts", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer(serverTimeoutOptions(), (req, res) => {
      req.on("data", () => undefined);
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("the app server is created with these options", () => {
    const start = readFileSync(new URL("../../../server/http/start.mjs", import.meta.url), "utf8");
    expect(start).toMatch(/createServer\(serverTimeoutOptions\(\),/);
    expect(HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
  });

  it(
    "slow headers, a never-ending body and an idle keep-alive connection are all cut in seconds",
    async () => {
      const timers: NodeJS.Timeout[] = [];
      const open = () => connect(port, "127.0.0.1");

      // 1. Headers that trickle in, one line a second, forever.
      const slowHeaders = open();
      const t1 = Date.now();
      const headersCut = watch(slowHeaders, t1);
      slowHeaders.write("GET / HTTP/1.1\r\nHost: lab\r\n");
      timers.push(setInterval(() => slowHeaders.writable && slowHeaders.write(`X-Drip-${Date.now()}: 1\r\n`), 1_000));

      // 2. A body announced as 100 MB that arrives a byte every half second.
      const slowBody = open();
      const t2 = Date.now();
      const bodyCut = watch(slowBody, t2);
      slowBody.write(
        "POST /api/trpc/x HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{",
      );
      timers.push(setInterval(() => slowBody.writable && slowBody.write(" "), 500));

      // 3. One complete request, then silence on the kept-alive connection.
      const idle = open();
      idle.write("GET / HTTP/1.1\r\nHost: lab\r\n\r\n");
      await new Promise((r) => idle.once("data", r));
      const t3 = Date.now();
      const idleCut = watch(idle, t3);

      try {
        const [h, b, k] = await Promise.all([headersCut, bodyCut, idleCut]);
        expect(h.ms, "slow headers").toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
        expect(h.answer).toMatch(/^HTTP\/1\.1 408/);
        expect(b.ms, "never-ending body").toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
        expect(b.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - SLACK_MS);
        expect(k.ms, "idle keep-alive").toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
      } finally {
        for (const t of timers) clearInterval(t);
        for (const s of [slowHeaders, slowBody, idle]) s.destroy();
      }
    },
    REQUEST_TIMEOUT_MS + 20_000,
  );
});
