"use client";
import { AiModelsSection } from "./ai-models-section";
import { PromptTemplates } from "./prompt-templates";

/** The workspace AI settings: models and provider keys, then the prompt templates. */
export function AiSettingsView() {
  return (
    <div className="flex flex-col gap-6">
      <AiModelsSection />
      <section className="flex flex-col gap-3">
        <div>
          <h2 className="text-lg font-semibold">Prompt templates</h2>
          <p className="text-sm text-slate-500">
            The texts sent to hosted models. Placeholders in braces are filled in at generation time; a saved override
            must keep the required ones and use no others.
          </p>
        </div>
        <PromptTemplates />
      </section>
    </div>
  );
}
