/** The colour theme choice: follow the system, or force light or dark. Kept in a cookie so the server renders it. */
export type ThemeChoice = "system" | "light" | "dark";
export const THEME_COOKIE = "lab-theme";

export function parseThemeChoice(value: string | undefined | null): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}
