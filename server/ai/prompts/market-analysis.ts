/** Market analysis prompt (structured output). Placeholders: {universe}, {regime}, {stats} (required); {request} (optional). */
export const marketAnalysisTemplate = `Describe the current market for a strategy designer in at most three sentences.

Universe: {universe}
Measured regime: {regime}
Measurements: {stats}
The designer's idea: {request}

Return a short narrative, a directional bias (bullish, bearish or neutral) and up to three notes on what a strategy should take into account in this regime.`;
