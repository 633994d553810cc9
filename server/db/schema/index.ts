export * from "./auth";
export * from "./workspaces";
export * from "./audit";
export * from "./rate-limits";
export * from "./strategies";
export * from "./api-keys";
export * from "./market-data";
