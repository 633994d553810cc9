"use client";
/**
 * An evolve run's result: the generation table (window, top and mean fitness, the top
 * individual's profit factor and win rate, promotions, evaluations, duplicates), the strategies
 * filed in SHADOW, and the best individual's code.
 */
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { familyTree, type FamilyNode } from "@/lib/evolve/lineage";
import type { EvolveResult } from "@/lib/modes/evolve";

const f = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function Family({ node }: { node: FamilyNode }) {
  return (
    <li>
      <span className="font-mono text-xs">
        {node.id} · {node.operator} · fitness {f(node.fitness, 1)}
      </span>
      {node.parents.length > 0 && (
        <ul className="ml-4 border-l border-slate-200 pl-2">
          {node.parents.map((p, i) => (
            <Family key={`${p.id}-${i}`} node={p} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function EvolveRunResult({ result }: { result: EvolveResult }) {
  return (
    <div className="space-y-4" data-testid="evolve-result">
      <Card>
        <p className="text-sm">
          {result.generations.length} generations · {result.n_evaluated} evaluations · {result.n_duplicates} duplicates
          · best {result.best.id} fitness {f(result.best.fitness, 1)} (DSR {f(result.best.metrics.dsr, 3)})
        </p>
        <Table>
          <thead>
            <tr>
              <Th>Gen</Th>
              <Th>Window</Th>
              <Th>Top fitness</Th>
              <Th>Mean</Th>
              <Th>PF (top)</Th>
              <Th>Win rate % (top)</Th>
              <Th>Promoted</Th>
              <Th>Evaluated</Th>
              <Th>Duplicates</Th>
            </tr>
          </thead>
          <tbody>
            {result.generations.map((g) => {
              const top = [...g.individuals].sort((a, b) => b.fitness - a.fitness)[0];
              const mean = g.individuals.reduce((s, x) => s + x.fitness, 0) / Math.max(1, g.individuals.length);
              return (
                <tr key={g.n} data-testid="evolve-generation">
                  <Td>{g.n}</Td>
                  <Td>
                    {day(g.window.from_ms)} → {day(g.window.to_ms)}
                  </Td>
                  <Td>{f(g.top_fitness, 1)}</Td>
                  <Td>{f(mean, 1)}</Td>
                  <Td>{f(top?.metrics.profit_factor)}</Td>
                  <Td>{f(top?.metrics.win_rate_pct, 1)}</Td>
                  <Td>{g.promoted.length}</Td>
                  <Td>{g.n_evaluated}</Td>
                  <Td>{g.n_duplicates}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
      {result.adopted && result.adopted.length > 0 && (
        <Card>
          <p className="text-sm font-medium">Filed in SHADOW</p>
          <ul className="text-sm">
            {result.adopted.map((a) => (
              <li key={a.strategy_id}>
                {a.individual} → strategy <code data-testid="evolve-adopted">{a.strategy_id}</code>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {(() => {
        const tree = familyTree(result.generations, result.best.id, 4);
        return tree ? (
          <Card>
            <p className="text-sm font-medium">Family tree of the best individual (4 generations back)</p>
            <ul data-testid="evolve-family-tree">
              <Family node={tree} />
            </ul>
          </Card>
        ) : null;
      })()}
      <Card>
        <p className="text-sm font-medium">Best individual&apos;s code</p>
        <pre className="max-h-80 overflow-auto rounded bg-zinc-950 p-2 text-xs text-zinc-200">{result.best.code}</pre>
      </Card>
    </div>
  );
}
