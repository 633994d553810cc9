import { describe, expect, it } from "vitest";
import { formatLabUrl, MAX_URL_PROMPT, parseLabUrl } from "@/components/lab/lab-url";

const id = "3f2b8c1e-0d4a-4b7e-9a51-2c6d8e9f0a1b";
const run = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

describe("Lab URL state", () => {
  it("round-trips every field, parameters included", () => {
    const state = {
      strategy: id,
      version: 3,
      run,
      prompt: "RSI below 30 & volume spike > 2x",
      model: "openai:gpt-4.1",
      universe: "demo-500",
      from: "2021-01-04",
      to: "2023-12-29",
      params: { rsiBelow: 25, useVolume: true, mode: "close" },
    };
    const q = formatLabUrl(state);
    expect(parseLabUrl(`?${q}`)).toEqual(state);
  });

  it("drops malformed values instead of failing", () => {
    const s = parseLabUrl("strategy=not-a-uuid&v=2&run=x&from=2021-13&to=yesterday&p={oops&universe=<script>");
    expect(s, "nothing usable survives").toEqual({});
    expect(parseLabUrl(`strategy=${id}&v=-1&p=[1,2]`)).toEqual({ strategy: id });
    expect(parseLabUrl(`p=${encodeURIComponent('{"a":1,"b":{"x":1},"c":null}')}`).params, "only plain values").toEqual({
      a: 1,
    });
  });

  it("leaves out empty fields and keeps the version only with its strategy", () => {
    expect(formatLabUrl({ version: 4, prompt: "", params: {} })).toBe("");
    expect(formatLabUrl({ strategy: id, version: 4 })).toBe(`strategy=${id}&v=4`);
  });

  it("caps a very long request", () => {
    expect(parseLabUrl(formatLabUrl({ prompt: "x".repeat(5000) })).prompt?.length).toBe(MAX_URL_PROMPT);
  });
});
