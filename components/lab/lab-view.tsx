"use client";
/**
 * The Strategy Lab: request → streamed code in the editor → validation → parameters → run →
 * results. Viewers see everything read-only; the server refuses their writes anyway.
 */
import { ImproveButton } from "@/components/improve/improve-form";
import type { UniverseOption } from "@/components/runs/universe-select";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Card } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { EditorActions } from "./editor-actions";
import { GenerationStatus } from "./generation-status";
import { PlanNotice } from "./plan-notice";
import { LazyCodeEditor } from "./lazy-editors";
import { defaultValues, ParamForm } from "./param-form";
import { PromptPanel } from "./prompt-panel";
import { IncompleteNotice } from "./incomplete-notice";
import { LabResults } from "./results/lab-results";
import { RunPanel } from "./run-panel";
import type { ParamSpecJson, ParamValues } from "./types";
import { useGeneration, type GenerationState } from "./use-generation";
import { useLabPersistence, type LabRestored } from "./use-lab-persistence";
import { useRun } from "./use-run";
import { usePanelShortcuts, useShortcuts } from "./use-shortcuts";

export interface LabInitial {
  strategyId: string | null;
  version: number | null;
  code: string;
  params: Record<string, ParamSpecJson>;
}

export function LabView({ universes, initial }: { universes: UniverseOption[]; initial: LabInitial | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const canWrite = ws.can("strategies.write");
  const models = useQuery(trpc.providers.models.queryOptions({ workspaceId: ws.id }));
  const [request, setRequest] = useState("");
  const [model, setModel] = useState<string>("");
  const [saved, setSaved] = useState<{ strategyId: string; version: number; code: string } | null>(
    initial?.strategyId && initial.version
      ? { strategyId: initial.strategyId, version: initial.version, code: initial.code }
      : null,
  );
  const [specs, setSpecs] = useState<Record<string, ParamSpecJson>>(initial?.params ?? {});
  const [values, setValues] = useState<ParamValues>(defaultValues(initial?.params ?? {}));
  const [universe, setUniverse] = useState(universes[0]?.name ?? "demo-500");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const run = useRun();

  const onFinished = useCallback((s: GenerationState) => {
    if (s.saved) setSaved({ strategyId: s.saved.strategyId, version: s.saved.version, code: s.code });
    const p = s.validation?.params as Record<string, ParamSpecJson> | null | undefined;
    if (s.validation?.ok && p) {
      setSpecs(p);
      setValues(defaultValues(p));
    }
  }, []);
  const gen = useGeneration(onFinished);
  useEffect(() => {
    if (initial?.code) gen.setCode(initial.code);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);
  const [restoredFromDraft, setRestoredFromDraft] = useState(false);
  // A reopened saved version is checked again (validation is not stored with the version), so it
  // reads as validated, with its dry run, as it did when it was saved. Drafts stay unvalidated.
  const revalidate = useMutation(trpc.generation.validate.mutationOptions());
  const codeNow = useRef("");
  useEffect(() => {
    codeNow.current = gen.state.code;
  });
  const onRestore = useCallback(
    (r: LabRestored) => {
      const u = r.url;
      if (r.prompt) setRequest(r.prompt);
      if (u.model) setModel(u.model);
      if (u.universe && universes.some((x) => x.name === u.universe)) setUniverse(u.universe);
      if (u.from) setFrom(u.from);
      if (u.to) setTo(u.to);
      if (r.saved) setSaved(r.saved);
      if (r.specs) {
        setSpecs(r.specs);
        setValues({ ...defaultValues(r.specs), ...u.params });
      }
      if (r.code !== null) gen.restore(r.code, r.incomplete);
      setRestoredFromDraft(r.fromDraft);
      const restoredCode = r.code;
      if (r.saved && restoredCode !== null && restoredCode === r.saved.code && restoredCode.trim()) {
        const target = u.universe && universes.some((x) => x.name === u.universe) ? u.universe : universe;
        revalidate
          .mutateAsync({ workspaceId: ws.id, code: restoredCode, universe: target })
          .then((v) => {
            if (codeNow.current === restoredCode) gen.applyValidation(v);
          })
          .catch(() => undefined);
      }
      if (u.run) run.show(ws.id, u.run);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- gen/run methods are stable callbacks
    [universes, ws.id],
  );
  const { restored } = useLabPersistence(
    ws.id,
    {
      saved,
      runId: run.state.runId,
      prompt: request,
      model,
      universe,
      from,
      to,
      params: values,
      code: gen.state.code,
      incomplete: gen.state.incomplete,
      busy: gen.state.running,
    },
    onRestore,
  );
  useEffect(() => {
    if (restored && !model && models.data) setModel(models.data.defaultModel);
  }, [restored, model, models.data]);

  const code = gen.state.code;
  const valid = gen.state.validation?.ok === true || (saved !== null && code === saved.code);
  const ready = saved !== null && valid;
  const canGenerateNow = canWrite && !gen.state.running && request.trim().length > 0;
  const generate = () =>
    gen.start({ workspaceId: ws.id, request, model: model || undefined, universe, strategyId: saved?.strategyId });
  const runReady =
    ready &&
    code === saved?.code &&
    ws.can("runs.create") &&
    run.state.status !== "queued" &&
    run.state.status !== "running";
  const startRun = () =>
    saved &&
    run.start({
      workspaceId: ws.id,
      strategyId: saved.strategyId,
      version: saved.version,
      universe,
      from,
      to,
      params: values,
    });
  useShortcuts({
    // In the request box Ctrl/Cmd+Enter generates (the box handles it itself).
    run: () => (document.activeElement?.id === "lab-prompt" || !runReady ? false : void startRun()),
    generate: () => (canGenerateNow ? generate() : false),
  });
  usePanelShortcuts();

  return (
    <div className="flex flex-col gap-6">
      <Card title="Describe" data-panel="describe">
        <PromptPanel
          request={request}
          onRequest={setRequest}
          models={models.data?.models ?? []}
          model={model}
          onModel={setModel}
          running={gen.state.running}
          canGenerate={canWrite}
          onGenerate={generate}
          onStop={gen.stop}
        />
      </Card>
      <Card
        title="Strategy code"
        data-panel="code"
        actions={
          <EditorActions
            code={code}
            saved={saved}
            universe={universe}
            canWrite={canWrite && !gen.state.running}
            gen={gen}
            onSaved={setSaved}
            onParams={(p) => {
              setSpecs(p);
              setValues(defaultValues(p));
            }}
          />
        }
      >
        <div className="flex flex-col gap-3">
          <PlanNotice state={gen.state} />
          <LazyCodeEditor
            value={code}
            onChange={gen.setCode}
            readOnly={!canWrite || gen.state.running}
            problems={gen.problems}
          />
          <IncompleteNotice incomplete={gen.state.incomplete} fromDraft={restoredFromDraft && code !== saved?.code} />
          <GenerationStatus state={gen.state} />
        </div>
      </Card>
      <Card title="Parameters and run" data-panel="run">
        <div className="flex flex-col gap-4">
          <ParamForm specs={specs} values={values} onChange={setValues} disabled={!ws.can("runs.create")} />
          <RunPanel
            universes={universes}
            universe={universe}
            onUniverse={setUniverse}
            from={from}
            to={to}
            onFrom={setFrom}
            onTo={setTo}
            canRun={ws.can("runs.create")}
            ready={ready && code === saved?.code}
            run={run.state}
            onRun={() => void startRun()}
          />
          {saved && code === saved.code && ws.can("runs.create") ? (
            <ImproveButton strategyId={saved.strategyId} version={saved.version} universes={universes} />
          ) : null}
        </div>
      </Card>
      {run.state.result && run.state.runId ? <LabResults runId={run.state.runId} result={run.state.result} /> : null}
    </div>
  );
}
