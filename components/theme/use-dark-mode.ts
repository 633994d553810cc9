"use client";
/** Whether the page is dark right now (system preference unless the user chose), for canvases that need a theme (Monaco, charts). */
import { useEffect, useState } from "react";

function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === "dark") return true;
  if (forced === "light") return false;
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

export function useDarkMode(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const update = () => setDark(isDark());
    update();
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", update);
    window.addEventListener("lab-theme-change", update);
    return () => {
      media.removeEventListener("change", update);
      window.removeEventListener("lab-theme-change", update);
    };
  }, []);
  return dark;
}
