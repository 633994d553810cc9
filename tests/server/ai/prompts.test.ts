import { describe, expect, it } from "vitest";
import {
  DEFAULT_TEMPLATES,
  placeholdersOf,
  renderTemplate,
  TEMPLATE_NAMES,
  validateTemplate,
} from "@/server/ai/prompts";

describe("prompt templates", () => {
  it.each(TEMPLATE_NAMES)("the default %s template passes its own contract", (name) => {
    expect(validateTemplate(name, DEFAULT_TEMPLATES[name].text)).toEqual([]);
  });

  it("finds placeholders but not object literals or escaped braces", () => {
    expect(placeholdersOf("a {request} b { type: 1 } {{literal}} {code} {request}")).toEqual(["request", "code"]);
  });

  it("rejects an unknown placeholder, naming it and the accepted ones", () => {
    const problems = validateTemplate("generation", "Write {request} for {sybmol}");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("{sybmol}");
    expect(problems[0]).toContain("{request}");
  });

  it("rejects a missing required placeholder", () => {
    expect(validateTemplate("repair", "Fix this: {code}")).toEqual(["Missing required placeholder {errors}."]);
    expect(validateTemplate("system", "   ")).toContain("The template is empty.");
  });

  it("renders values, leaves braces inside values alone and writes escaped braces", () => {
    const out = renderTemplate("R: {request} {{x}} M: {marketContext}", {
      request: "gap {up}",
      marketContext: undefined,
    });
    expect(out).toBe("R: gap {up} {x} M: (none)");
    expect(() => renderTemplate("{code}", {})).toThrow(/\{code\}/);
  });
});
