/** Repair prompt after validation failed. Placeholders: {code}, {errors} (required); {request}, {attempt} (optional). */
export const repairTemplate = `The strategy you wrote for "{request}" failed validation (attempt {attempt}).

Problems:
{errors}

The code:
\`\`\`ts
{code}
\`\`\`

Fix every problem and reply with the complete corrected module in a single \`\`\`ts code block.`;
