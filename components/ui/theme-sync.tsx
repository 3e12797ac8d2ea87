"use client";

import { useLayoutEffect } from "react";
import { THEME_STORAGE_KEY, applyThemePreference, readThemePreference } from "./theme";

/**
 * Keeps the `dark` class on <html> right after hydration: React's dev remount strips the class the
 * pre-paint script set, "system" must follow OS changes live, and other tabs may change the choice.
 */
export function ThemeSync() {
  useLayoutEffect(() => {
    const reapply = () => applyThemePreference(readThemePreference());
    reapply();

    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onStorage = (event: StorageEvent) => {
      if (event.key === THEME_STORAGE_KEY) reapply();
    };
    media.addEventListener("change", reapply);
    window.addEventListener("storage", onStorage);
    return () => {
      media.removeEventListener("change", reapply);
      window.removeEventListener("storage", onStorage);
    };
  }, []);

  return null;
}
