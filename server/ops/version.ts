import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import pkg from "@/package.json";
import { env } from "@/lib/env";

/** The app version (package.json). */
export const APP_VERSION: string = pkg.version;

let buildId: string | undefined;

/** The Next build id of the running build (`<LAB_NEXT_DIST_DIR>/BUILD_ID`), or "development" without one. */
export function appBuildId(): string {
  if (buildId === undefined) {
    try {
      buildId = readFileSync(path.join(process.cwd(), env().LAB_NEXT_DIST_DIR, "BUILD_ID"), "utf8").trim() || "unknown";
    } catch {
      buildId = "development";
    }
  }
  return buildId;
}
