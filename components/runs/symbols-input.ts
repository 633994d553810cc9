/** "aapl, msft  nvda" → ["AAPL", "MSFT", "NVDA"] (commas or whitespace; the server validates each). */
export function parseSymbols(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}
