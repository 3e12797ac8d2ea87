/** One status vocabulary for badges, dots, alerts and progress bars. */
export type Tone = "neutral" | "success" | "warning" | "danger" | "info";

/** Text colour per tone, for icons and labels on neutral surfaces. */
export const toneText: Record<Tone, string> = {
  neutral: "text-muted",
  success: "text-success",
  warning: "text-warning",
  danger: "text-danger",
  info: "text-info",
};

/** Solid fill per tone, for dots and bars. */
export const toneFill: Record<Tone, string> = {
  neutral: "bg-muted",
  success: "bg-success",
  warning: "bg-warning",
  danger: "bg-danger",
  info: "bg-info",
};

/** Tinted background + border per tone, for badges and soft banners. */
export const toneSoft: Record<Tone, string> = {
  neutral: "bg-subtle text-fg border-border",
  success: "bg-success/10 text-success border-success/30",
  warning: "bg-warning/10 text-warning border-warning/30",
  danger: "bg-danger/10 text-danger border-danger/30",
  info: "bg-info/10 text-info border-info/30",
};
