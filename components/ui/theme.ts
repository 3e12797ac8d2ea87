/** Theme preference shared by the pre-paint script, ThemeSync and ThemeToggle. No React here: the root layout imports it on the server. */
export const THEME_STORAGE_KEY = "pxf-theme";
export const THEME_CHANGE_EVENT = "pxf-theme-change";

export type ThemePreference = "light" | "dark" | "system";

export function isThemePreference(value: unknown): value is ThemePreference {
  return value === "light" || value === "dark" || value === "system";
}

export function readThemePreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isThemePreference(stored) ? stored : "system";
  } catch {
    // Storage can throw (privacy mode, blocked cookies); fall back to the OS setting.
    return "system";
  }
}

export function isDarkPreferred(preference: ThemePreference): boolean {
  if (preference === "system") return window.matchMedia("(prefers-color-scheme: dark)").matches;
  return preference === "dark";
}

export function applyThemePreference(preference: ThemePreference): void {
  document.documentElement.classList.toggle("dark", isDarkPreferred(preference));
}

export function saveThemePreference(preference: ThemePreference): void {
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not persisted, but still applied for this page view.
  }
  applyThemePreference(preference);
  window.dispatchEvent(new Event(THEME_CHANGE_EVENT));
}

/**
 * Runs in <head> before first paint so a dark-mode user never sees a light flash.
 * Mirrors readThemePreference + applyThemePreference; keep the two in sync.
 */
export const THEME_INIT_SCRIPT = `(function(){try{var p=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});var d=p==="dark"||(p!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;
