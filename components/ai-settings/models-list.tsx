"use client";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { originLabel, providerLabel, type ModelRow } from "./types";

/** The models this workspace can generate with; the offline generator is labelled as a template generator. */
export function ModelsList({ models, defaultModel }: { models: readonly ModelRow[]; defaultModel: string }) {
  return (
    <Table data-testid="ai-models">
      <thead>
        <tr>
          <Th>Model</Th>
          <Th>Provider</Th>
          <Th>Configured by</Th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.id} data-testid="ai-model-row" data-model-id={m.id}>
            <Td>
              <span className="font-mono text-xs">{m.id}</span>
              {m.id === defaultModel ? (
                <Badge tone="blue" className="ml-2">
                  default
                </Badge>
              ) : null}
              {m.offline ? (
                <p className="mt-1 text-xs text-slate-500">
                  Not an AI model: writes strategy code from templates by recognising intents and numbers in the
                  request.
                </p>
              ) : null}
            </Td>
            <Td>{m.offline ? <Badge tone="amber">template generator</Badge> : providerLabel(m.provider)}</Td>
            <Td>
              <Badge tone={m.origin === "workspace" ? "green" : "neutral"}>{originLabel(m.origin)}</Badge>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
