import "server-only";
/**
 * The tRPC endpoint's request handling: the body is read with the same 1 MB cap as REST
 * (declared or actually streamed) *before* tRPC parses it, so an oversized body is refused
 * without being buffered whole; the answer is a tRPC error with REST's sentence.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isAppError } from "@/lib/errors";
import { createContextFromRequest } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { MAX_BODY_BYTES, readBodyText } from "./rest";

export const TRPC_ENDPOINT = "/api/trpc";

const rawPath = (url: URL) => url.pathname.slice(TRPC_ENDPOINT.length + 1);

/** The called procedure(s), or null when the path holds a malformed escape (e.g. %E0%A4%A). */
function procedurePath(url: URL): string | null {
  try {
    return decodeURIComponent(rawPath(url));
  } catch {
    return null;
  }
}

/** A tRPC-shaped error answer (an array of them for batched calls). */
function trpcError(req: Request, status: number, code: string, message: string): Response {
  const url = new URL(req.url);
  const paths = (procedurePath(url) ?? rawPath(url)).split(",");
  const one = (path: string) => ({ error: { message, code: -32600, data: { code, httpStatus: status, path } } });
  const body = url.searchParams.get("batch") === "1" ? paths.map(one) : one(paths[0] ?? "");
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export async function handleTrpcRequest(req: Request, limit = MAX_BODY_BYTES): Promise<Response> {
  // Refused here so the answer is JSON (tRPC's own answer to it is labelled text/plain).
  if (procedurePath(new URL(req.url)) === null)
    return trpcError(
      req,
      400,
      "BAD_REQUEST",
      "The path holds a malformed URL escape (%XX); name the procedure plainly.",
    );
  let capped = req;
  if (req.method !== "GET" && req.method !== "HEAD" && req.body) {
    let text: string;
    try {
      text = await readBodyText(req, limit);
    } catch (err) {
      if (isAppError(err)) return trpcError(req, 413, "PAYLOAD_TOO_LARGE", err.message);
      throw err;
    }
    const headers = new Headers(req.headers);
    headers.delete("content-length");
    headers.delete("transfer-encoding");
    capped = new Request(req.url, { method: req.method, headers, body: text, signal: req.signal });
  }
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: capped,
    router: appRouter,
    createContext: () => createContextFromRequest(capped),
  });
}
