/**
 * Worked example strategies, as TypeScript source that runs through the sandbox exactly like
 * user code. They double as templates in the editor and as test fixtures.
 */
import { bollingerReversionSource } from "./bollinger-reversion";
import { breakoutSource } from "./breakout";
import { gapUpSource } from "./gap-up";
import { momentumRankSource } from "./momentum-rank";
import { rsiVolumeSource } from "./rsi-volume";
import { smaCrossSource } from "./sma-cross";
import { valueScreenSource } from "./value-screen";

/** One example: a short title, what it does, and its source. */
export interface ExampleStrategy {
  title: string;
  description: string;
  source: string;
}

/** Example strategies by name (the name used by `--strategy <name>` on the command line). */
export const EXAMPLES: Record<string, ExampleStrategy> = {
  "sma-cross": {
    title: "SMA crossover",
    description: "Fast/slow simple moving average cross; params fast, slow, short (stop-and-reverse).",
    source: smaCrossSource,
  },
  "rsi-volume": {
    title: "RSI oversold + volume spike",
    description: "RSI below the oversold level on volume well above average; exit when RSI recovers.",
    source: rsiVolumeSource,
  },
  breakout: {
    title: "N-day breakout",
    description: "Close above the prior N-bar high; exit below the prior M-bar low.",
    source: breakoutSource,
  },
  "gap-up": {
    title: "Gap up with volume",
    description: "Opening gap of N% or more on M× average volume, held for a fixed number of bars.",
    source: gapUpSource,
  },
  "bollinger-reversion": {
    title: "Bollinger mean reversion",
    description: "Close below the lower band; exit at the middle band.",
    source: bollingerReversionSource,
  },
  "momentum-rank": {
    title: "Momentum ranking",
    description: "Trailing-return momentum as the score, so the strongest symbols are held or listed first.",
    source: momentumRankSource,
  },
  "value-screen": {
    title: "Value screen",
    description: "P/E and debt/equity limits on companies above a minimum market cap (uses fundamentals).",
    source: valueScreenSource,
  },
};

/** The example's source, or undefined when no example has that name. */
export function getExample(name: string): ExampleStrategy | undefined {
  return Object.hasOwn(EXAMPLES, name) ? EXAMPLES[name] : undefined;
}
