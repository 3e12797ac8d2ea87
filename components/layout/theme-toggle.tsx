"use client";

import type { ComponentType } from "react";
import { cn } from "@/components/ui/cn";
import { IconMonitor, IconMoon, IconSun, type IconProps } from "@/components/ui/icons";
import { type ThemePreference, saveThemePreference } from "@/components/ui/theme";
import { useThemePreference } from "@/components/ui/use-theme";

const options: Array<{ value: ThemePreference; label: string; Icon: ComponentType<IconProps> }> = [
  { value: "light", label: "Light theme", Icon: IconSun },
  { value: "dark", label: "Dark theme", Icon: IconMoon },
  { value: "system", label: "System theme", Icon: IconMonitor },
];

/** Three-way switch; the choice is stored in localStorage `pxf-theme` and applied to <html> at once. */
export function ThemeToggle({ className }: { className?: string }) {
  const preference = useThemePreference();
  return (
    <div role="group" aria-label="Theme" className={cn("inline-flex rounded-md border border-border bg-subtle p-0.5", className)}>
      {options.map(({ value, label, Icon }) => {
        const isSelected = preference === value;
        return (
          <button
            key={value}
            type="button"
            aria-pressed={isSelected}
            aria-label={label}
            title={label}
            onClick={() => saveThemePreference(value)}
            className={cn(
              "inline-flex size-6 items-center justify-center rounded transition-colors",
              isSelected ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg",
            )}
          >
            <Icon className="size-3.5" />
          </button>
        );
      })}
    </div>
  );
}
