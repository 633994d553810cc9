/** Provider response parsers (pure). The fetching adapters live in server/data/providers. */
export * from "./common";
export * from "./yahoo";
export * from "./polygon";
export * from "./alpaca";
export * from "./ccxt";
export * from "./alphavantage";
export * from "./alphavantage-fundamentals";
export * from "./fred";
