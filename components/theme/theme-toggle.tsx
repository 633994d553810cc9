"use client";
/**
 * Light / dark / system switch. The choice goes on <html data-theme> (the CSS in
 * app/dark-theme.css reads it) and into a cookie so the next page renders with it.
 */
import { useEffect, useState } from "react";
import { parseThemeChoice, THEME_COOKIE, type ThemeChoice } from "./theme";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "dark", dark: "light", light: "system" };
const LABEL: Record<ThemeChoice, string> = { system: "Theme: system", dark: "Theme: dark", light: "Theme: light" };
const ICON: Record<ThemeChoice, string> = { system: "◐", dark: "☾", light: "☀" };

export function applyTheme(choice: ThemeChoice): void {
  const html = document.documentElement;
  if (choice === "system") delete html.dataset.theme;
  else html.dataset.theme = choice;
  document.cookie = `${THEME_COOKIE}=${choice}; path=/; max-age=31536000; samesite=lax`;
  window.dispatchEvent(new Event("lab-theme-change"));
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(parseThemeChoice(document.documentElement.dataset.theme)), []);
  const next = NEXT[choice];
  return (
    <button
      type="button"
      onClick={() => {
        applyTheme(next);
        setChoice(next);
      }}
      className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm text-slate-700 shadow-sm hover:bg-slate-100"
      title={`${LABEL[choice]} (click for ${next})`}
      aria-label={`${LABEL[choice]}; switch to ${next}`}
      data-testid="theme-toggle"
      data-theme-choice={choice}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
    </button>
  );
}
