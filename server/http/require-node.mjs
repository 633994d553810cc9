// Imported first by the entry points (server/http/start.mjs, server/cli/worker.ts): refuses to
// start on a Node that package.json's engines do not allow, before anything else loads.
import { requireSupportedNode } from "./node-version.mjs";

requireSupportedNode();
