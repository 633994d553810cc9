"use client";
import { useState } from "react";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { parseSymbols } from "./symbols-input";
import { UniverseSelect, type UniverseOption } from "./universe-select";

export type DataSource = "universe" | "symbols";

/** What a universe-or-symbols picker holds: which of the two, the universe name, the typed symbols. */
export interface DataSelection {
  source: DataSource;
  universe: string;
  symbols: string;
}

/** Picker state starting on `source`, with the first universe chosen. */
export function useDataSelection(universes: readonly UniverseOption[], source: DataSource) {
  return useState<DataSelection>({ source, universe: universes[0]?.name ?? "", symbols: "" });
}

/** The selection as the run/screen/rule schemas take it: a universe name or a symbol list. */
export function selectedData(sel: DataSelection): { universe: string } | { symbols: string[] } {
  return sel.source === "universe" ? { universe: sel.universe } : { symbols: parseSymbols(sel.symbols) };
}

/**
 * "Run on a universe or on a list of symbols": the source select, then the universe picker or the
 * symbols box. Element ids and test ids are `${idPrefix}-source|universe|symbols` unless given.
 */
export function DataSelectionFields({
  idPrefix,
  universes,
  value,
  onChange,
  label,
  sourceId = `${idPrefix}-source`,
  options = ["universe", "symbols"],
  optionText = { universe: "a universe", symbols: "a list of symbols" },
}: {
  idPrefix: string;
  universes: readonly UniverseOption[];
  value: DataSelection;
  onChange(v: DataSelection): void;
  /** The source select's label ("Screen", "Watch" …). */
  label: string;
  sourceId?: string;
  /** Order of the two choices in the select. */
  options?: readonly [DataSource, DataSource];
  optionText?: Record<DataSource, string>;
}) {
  return (
    <>
      <Field label={label} htmlFor={sourceId}>
        <Select
          id={sourceId}
          value={value.source}
          onChange={(e) => onChange({ ...value, source: e.target.value as DataSource })}
          data-testid={sourceId}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {optionText[o]}
            </option>
          ))}
        </Select>
      </Field>
      {value.source === "universe" ? (
        <Field label="Universe" htmlFor={`${idPrefix}-universe`}>
          <UniverseSelect
            id={`${idPrefix}-universe`}
            universes={universes}
            value={value.universe}
            onChange={(universe) => onChange({ ...value, universe })}
            testId={`${idPrefix}-universe`}
          />
        </Field>
      ) : (
        <Field label="Symbols" htmlFor={`${idPrefix}-symbols`} hint="Separated by commas or spaces">
          <Input
            id={`${idPrefix}-symbols`}
            value={value.symbols}
            onChange={(e) => onChange({ ...value, symbols: e.target.value })}
            placeholder="AAPL, MSFT"
            data-testid={`${idPrefix}-symbols`}
          />
        </Field>
      )}
    </>
  );
}
