/** The headline backtest metrics: the shared metrics card (components/metrics). */
import { MetricsGrid } from "@/components/metrics/metrics-grid";

export function MetricsCards({ metrics }: { metrics: Record<string, number | null> }) {
  return <MetricsGrid metrics={metrics} />;
}
