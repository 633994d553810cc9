"use client";
/**
 * Keyboard shortcuts of the Lab, caught before the editor sees them (capture phase):
 *   Ctrl/Cmd+Enter        run the backtest
 *   Ctrl/Cmd+Shift+Enter  generate from the request
 *   Ctrl/Cmd+S            save a version
 * A handler that returns false leaves the key alone (e.g. nothing to save).
 */
import { useEffect, useRef } from "react";

export type ShortcutName = "run" | "generate" | "save";

/** "Ctrl/⌘+Enter", for tooltips (the same text on server and browser). */
export function shortcutLabel(name: ShortcutName): string {
  return name === "run" ? "Ctrl/⌘+Enter" : name === "generate" ? "Ctrl/⌘+Shift+Enter" : "Ctrl/⌘+S";
}

/** Which shortcut a key event is, if any. */
export function shortcutOf(
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">,
): ShortcutName | null {
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
