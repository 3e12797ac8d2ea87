"use client";

import { useSyncExternalStore } from "react";
import { THEME_CHANGE_EVENT, type ThemePreference, readThemePreference } from "./theme";

function subscribeToHtmlClass(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

/** The theme actually shown ("light" | "dark"), read from the class on <html>. Server render assumes light. */
export function useResolvedTheme(): "light" | "dark" {
  return useSyncExternalStore(
    subscribeToHtmlClass,
    () => (document.documentElement.classList.contains("dark") ? "dark" : "light"),
    () => "light",
  );
}

function subscribeToPreference(onChange: () => void): () => void {
  window.addEventListener(THEME_CHANGE_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(THEME_CHANGE_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The stored choice ("light" | "dark" | "system"). Server render assumes "system". */
export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribeToPreference, readThemePreference, () => "system");
}
