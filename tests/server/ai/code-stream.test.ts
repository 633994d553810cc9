/**
 * Streamed code is append-only: every prefix the editor shows is a prefix of the final code,
 * whatever the chunking of the model's reply (split inside fences, inside "\n```", inside
 * trailing whitespace), and the concatenation equals extractCode's result.
 */
import { describe, expect, it } from "vitest";
import { CodeFenceFilter, extractCode } from "@/server/ai/code-stream";
import { offlineStrategyCode } from "@/server/ai/offline-generator";

function chunks(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = sizes[k++ % sizes.length];
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

function frames(reply: string, sizes: number[]): { frames: string[]; final: string } {
  const f = new CodeFenceFilter();
  const seen: string[] = [];
  let code = "";
  for (const c of chunks(reply, sizes)) {
    const d = f.push(c);
    if (d) seen.push((code += d));
  }
  const tail = f.flush();
  if (tail) seen.push((code += tail));
  return { frames: seen, final: code };
}

const code = offlineStrategyCode(
  "golden cross: buy when the 50-day crosses above the 200-day and sell when it crosses below",
);
const replies: [string, string][] = [
  ["fenced with prose", `Here it is:\n\`\`\`ts\n${code}\n\n\`\`\`\nThat buys golden crosses.`],
  ["fenced, no closing fence", `\`\`\`typescript\n${code}   \n\n`],
  ["bare code with trailing blank lines", `${code}\n\n\n`],
  ["indented lines and blank lines inside", `\`\`\`ts\n${code.replace(/\n/g, "\n\n  ")}\n\`\`\``],
];

describe("CodeFenceFilter", () => {
  for (const [name, reply] of replies) {
    for (const sizes of [[1], [2, 5, 3], [7], [13, 1, 40], [reply.length]]) {
      it(`${name}: chunks of ${sizes.join("/")} give prefix frames ending at extractCode`, () => {
        const expected = extractCode(reply);
        const { frames: seen, final } = frames(reply, sizes);
        expect(final, "the streamed code equals the extracted code").toBe(expected);
        for (const [i, frame] of seen.entries())
          expect(expected.startsWith(frame), `frame ${i} (${JSON.stringify(frame.slice(-30))}) is a prefix`).toBe(true);
      });
    }
  }

  it("holds back whitespace that might be trimmed, and releases it once code follows", () => {
    const f = new CodeFenceFilter();
    expect(f.push("```ts\nconst a = 1;  \n")).toBe("const a = 1;");
    expect(f.push("\nconst b")).toBe("  \n\nconst b");
    expect(f.push(" = 2;\n``")).toBe(" = 2;");
    expect(f.push("`\nprose")).toBe("");
    expect(f.flush()).toBe("\n");
  });
});
