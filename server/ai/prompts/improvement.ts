/** Improvement prompt for an existing strategy. Placeholders: {code}, {request} (required); {metrics}, {marketContext} (optional). */
export const improvementTemplate = `Improve this Strategy Lab strategy as asked: {request}

Backtest results of the current version:
{metrics}

Market context:
{marketContext}

The current code:
\`\`\`ts
{code}
\`\`\`

Reply with the complete improved module in a single \`\`\`ts code block.`;
