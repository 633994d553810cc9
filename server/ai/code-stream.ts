import "server-only";
/**
 * Pulling code out of a model's reply while it streams. Models usually answer with one fenced
 * block (```ts … ```), sometimes with prose around it, sometimes with bare code. The filter
 * passes through only what lies inside the first fence (or everything, once the reply looks
 * like bare code), holding back just enough characters to recognise a closing fence, and any
 * trailing whitespace: the concatenated output is always a prefix of {@link extractCode}'s.
 */

/** Code of a complete reply: the first fenced block, else the whole reply trimmed. */
export function extractCode(reply: string): string {
  const fence = /```[A-Za-z]*[^\n]*\n([\s\S]*?)(?:\n```|$)/.exec(reply);
  const code = fence ? fence[1] : reply;
  return `${code.replace(/\s+$/, "")}\n`;
}

/** Incremental version of {@link extractCode}: feed deltas, get the code part of each. */
export class CodeFenceFilter {
  private mode: "detect" | "code" | "bare" | "done" = "detect";
  private buffer = "";
  private pendingSpace = "";
  private emitted = false;

  push(delta: string): string {
    return this.settle(this.scan(delta));
  }

  /** What is still held back at the end of the reply (trailing whitespace becomes one newline, as in {@link extractCode}). */
  flush(): string {
    const out = this.mode === "code" || this.mode === "bare" ? this.buffer : "";
    this.buffer = "";
    const code = this.settle(out);
    const end = this.emitted ? "\n" : "";
    this.pendingSpace = "";
    this.emitted = false;
    return code + end;
  }

  /**
   * Holds back trailing whitespace until something follows it, so every emitted prefix is a
   * prefix of the final code (which has its trailing whitespace trimmed to one newline).
   */
  private settle(out: string): string {
    if (!out) return "";
    const joined = this.pendingSpace + out;
    const cut = joined.search(/\s*$/);
    this.pendingSpace = joined.slice(cut);
    const emit = joined.slice(0, cut);
    if (emit) this.emitted = true;
    return emit;
  }

  private scan(delta: string): string {
    this.buffer += delta;
    if (this.mode === "detect") {
      const open = /```[^\n]*\n/.exec(this.buffer);
      if (open) {
        this.mode = "code";
        this.buffer = this.buffer.slice(open.index + open[0].length);
      } else if (/^\s*(import|export|\/\/|\/\*)/.test(this.buffer) && this.buffer.length > 12) {
        this.mode = "bare";
      } else return "";
    }
    if (this.mode === "bare") {
      const out = this.buffer;
      this.buffer = "";
      return out;
    }
    if (this.mode === "code") {
      const close = this.buffer.indexOf("\n```");
      if (close >= 0) {
        const out = this.buffer.slice(0, close + 1);
        this.buffer = "";
        this.mode = "done";
        return out;
      }
      // Keep a possible start of "\n```" for the next delta.
      const hold = Math.min(this.buffer.length, 3);
      let keep = 0;
      for (let k = hold; k > 0; k--)
        if ("\n```".startsWith(this.buffer.slice(-k))) {
          keep = k;
          break;
        }
      const out = this.buffer.slice(0, this.buffer.length - keep);
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return out;
    }
    return "";
  }
}
