"use client";
/**
 * Keyboard shortcuts of the Lab, caught before the editor sees them (capture phase):
 *   Ctrl/Cmd+Enter        run the backtest
 *   Ctrl/Cmd+Shift+Enter  generate from the request
 *   Ctrl/Cmd+S            save a version
 *   Alt+] / Alt+[         next / previous panel (the page's cards and result sections, see movePanel)
 * A handler that returns false leaves the key alone (e.g. nothing to save).
 */
import { useEffect, useRef } from "react";
import { PANEL_KEYS } from "@/components/ui/panel-hint";

export type ShortcutName = "run" | "generate" | "save" | "nextPanel" | "previousPanel";

const LABELS: Record<ShortcutName, string> = {
  run: "Ctrl/⌘+Enter",
  generate: "Ctrl/⌘+Shift+Enter",
  save: "Ctrl/⌘+S",
  nextPanel: PANEL_KEYS.next,
  previousPanel: PANEL_KEYS.previous,
};

/** "Ctrl/⌘+Enter", for tooltips (the same text on server and browser). */
export function shortcutLabel(name: ShortcutName): string {
  return LABELS[name];
}

/** Which shortcut a key event is, if any. */
export function shortcutOf(
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey"> & { code?: string },
): ShortcutName | null {
  // Alt+]/[ by physical key too: on macOS Option changes the character the key types.
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    if (e.key === "]" || e.code === "BracketRight") return "nextPanel";
    if (e.key === "[" || e.code === "BracketLeft") return "previousPanel";
    return null;
  }
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  if (e.key === "Enter") return e.shiftKey ? "generate" : "run";
  if ((e.key === "s" || e.key === "S") && !e.shiftKey) return "save";
  return null;
}

export function useShortcuts(handlers: Partial<Record<ShortcutName, () => boolean | void>>): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const name = shortcutOf(e);
      const handler = name ? ref.current[name] : undefined;
      if (!handler) return;
      if (handler() === false) return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener("keydown", onKey, { capture: true });
    return () => window.removeEventListener("keydown", onKey, { capture: true });
  }, []);
}

/** The panel to move to from `current` (-1 = none focused): wraps around at both ends. */
export function panelTarget(count: number, current: number, step: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/**
 * Moves focus to the next or previous visible `[data-panel]` of the page (document order) and
 * scrolls it into view. The current panel is the one holding the focus.
 */
export function movePanel(step: 1 | -1): boolean {
  const panels = Array.from(document.querySelectorAll<HTMLElement>("[data-panel]")).filter(
    (el) => el.getClientRects().length > 0,
  );
  const active = document.activeElement;
  // The innermost panel holding the focus counts (results sections sit inside the Results card).
  let index = -1;
  for (let i = panels.length - 1; i >= 0; i--)
    if (active && (panels[i] === active || panels[i].contains(active))) {
      index = i;
      break;
    }
  const target = panelTarget(panels.length, index, step);
  if (target < 0) return false;
  const el = panels[target];
  if (!el.hasAttribute("tabindex")) el.tabIndex = -1;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "start", behavior: "auto" });
  return true;
}

/** Alt+] / Alt+[ move between the page's panels. */
export function usePanelShortcuts(): void {
  useShortcuts({ nextPanel: () => movePanel(1), previousPanel: () => movePanel(-1) });
}
