import "server-only";
/**
 * Pulling code out of a model's reply while it streams. Models usually answer with one fenced
 * block (```ts … ```), sometimes with prose around it, sometimes with bare code. The filter
 * passes through only what lies inside the first fence (or everything, once the reply looks
 * like bare code), holding back just enough characters to recognise a closing fence.
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

  push(delta: string): string {
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
      for (let k = hold; k > 0; k--) if ("\n```".startsWith(this.buffer.slice(-k))) {
        keep = k;
        break;
      }
      const out = this.buffer.slice(0, this.buffer.length - keep);
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return out;
    }
    return "";
  }

  /** What is still held back at the end of the reply. */
  flush(): string {
    const out = this.mode === "code" || this.mode === "bare" ? this.buffer : "";
    this.buffer = "";
    return out;
  }
}
