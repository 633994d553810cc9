import "server-only";
/**
 * Prompt templates: files with `{placeholder}` slots. `{{` and `}}` write literal braces.
 * Each template declares which placeholders it must contain and which it may contain; a
 * workspace override with an unknown or a missing required placeholder is rejected.
 */
import { generationTemplate } from "./generation";
import { improvementTemplate } from "./improvement";
import { marketAnalysisTemplate } from "./market-analysis";
import { repairTemplate } from "./repair";
import { systemTemplate } from "./system";

export const TEMPLATE_NAMES = ["system", "market-analysis", "generation", "repair", "improvement"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A template's default text and its placeholder contract. */
export interface TemplateSpec {
  name: TemplateName;
  description: string;
  text: string;
  required: readonly string[];
  optional: readonly string[];
}

export const DEFAULT_TEMPLATES: Record<TemplateName, TemplateSpec> = {
  system: {
    name: "system",
    description: "Rules and SDK types sent with every code-writing call",
    text: systemTemplate,
    required: ["sdkTypes"],
    optional: [],
  },
  "market-analysis": {
    name: "market-analysis",
    description: "Asks a hosted model for a short narrative of the measured regime",
    text: marketAnalysisTemplate,
    required: ["universe", "regime", "stats"],
    optional: ["request"],
  },
  generation: {
    name: "generation",
    description: "Turns the request into strategy code",
    text: generationTemplate,
    required: ["request"],
    optional: ["marketContext", "universe"],
  },
  repair: {
    name: "repair",
    description: "Sends validation errors back to the model",
    text: repairTemplate,
    required: ["code", "errors"],
    optional: ["request", "attempt"],
  },
  improvement: {
    name: "improvement",
    description: "Improves an existing strategy",
    text: improvementTemplate,
    required: ["code", "request"],
    optional: ["metrics", "marketContext"],
  },
};

/** Template texts in use (defaults merged with a workspace's overrides). */
export type TemplateSet = Record<TemplateName, string>;

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}

export function defaultTemplateSet(): TemplateSet {
  return Object.fromEntries(TEMPLATE_NAMES.map((n) => [n, DEFAULT_TEMPLATES[n].text])) as TemplateSet;
}

const SLOT = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Placeholder names in order of first appearance (escaped braces are not placeholders). */
export function placeholdersOf(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(SLOT)) if (m[1] && !names.includes(m[1])) names.push(m[1]);
  return names;
}

/** Problems of a template text against its contract; empty when it may be saved. */
export function validateTemplate(name: TemplateName, text: string): string[] {
  const spec = DEFAULT_TEMPLATES[name];
  const found = placeholdersOf(text);
  const allowed = new Set([...spec.required, ...spec.optional]);
  const problems: string[] = [];
  if (!text.trim()) problems.push("The template is empty.");
  const unknown = found.filter((p) => !allowed.has(p));
  if (unknown.length > 0) {
    problems.push(
      `Unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((p) => `{${p}}`).join(", ")}; the ${name} template accepts ${[...allowed].map((p) => `{${p}}`).join(", ")}.`,
    );
  }
  const missing = spec.required.filter((p) => !found.includes(p));
  if (missing.length > 0)
    problems.push(
      `Missing required placeholder${missing.length > 1 ? "s" : ""} ${missing.map((p) => `{${p}}`).join(", ")}.`,
    );
  return problems;
}

/** Fills the slots; an absent optional value renders as "(none)". Unknown slots throw. */
export function renderTemplate(text: string, values: Record<string, string | number | undefined>): string {
  return text.replace(SLOT, (whole, name: string | undefined) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    if (name === undefined) return whole;
    if (!Object.hasOwn(values, name)) throw new Error(`Template placeholder {${name}} has no value.`);
    const v = values[name];
    return v === undefined || v === "" ? "(none)" : String(v);
  });
}
