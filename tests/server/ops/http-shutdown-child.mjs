/**
 * A plain node:http server with the app server's shutdown (server/http/graceful-shutdown.mjs):
 * GET /slow?ms=N answers after N ms, anything else at once. Prints "listening <port>" when ready,
 * "started <path>" when a request arrives, and "after-close" when the app's shutdown step runs.
 */
import { createServer } from "node:http";
import { installGracefulShutdown } from "../../../server/http/graceful-shutdown.mjs";
import { serverTimeoutOptions } from "../../../server/http/server-timeouts.mjs";

const server = createServer(serverTimeoutOptions(), (req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  console.log(`started ${url.pathname}`);
  const ms = url.pathname === "/slow" ? Number(url.searchParams.get("ms") ?? 0) : 0;
  setTimeout(() => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`done after ${ms} ms\n`);
  }, ms);
});
installGracefulShutdown(server, {
  deadlineSeconds: Number(process.env.LAB_SHUTDOWN_SECONDS || 20),
  afterClose: () => console.log("after-close"),
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
