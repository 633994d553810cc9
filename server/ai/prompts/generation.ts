/** Code generation prompt. Placeholders: {request} (required); {marketContext}, {universe} (optional). */
export const generationTemplate = `Write a Strategy Lab strategy for this request:

{request}

Market context of the universe it will run on ({universe}):
{marketContext}

Choose sensible parameter ranges and defaults, explain the idea in the description, and keep the code short and readable.`;
