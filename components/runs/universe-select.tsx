import { Select } from "@/components/ui/select";

/** A universe the workspace can run on (name, description, symbol count from the server). */
export interface UniverseOption {
  name: string;
  description: string;
  symbols: number;
}

export function UniverseSelect({
  id,
  universes,
  value,
  onChange,
  testId = "universe-select",
}: {
  id: string;
  universes: readonly UniverseOption[];
  value: string;
  onChange(v: string): void;
  testId?: string;
}) {
  return (
    <Select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      {universes.map((u) => (
        <option key={u.name} value={u.name} title={u.description}>
          {u.name} ({u.symbols})
        </option>
      ))}
    </Select>
  );
}
