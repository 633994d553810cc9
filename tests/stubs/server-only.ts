// Test stand-in for the `server-only` marker package (see tests/vitest.config.ts).
export {};
