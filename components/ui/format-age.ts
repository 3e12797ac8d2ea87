/** "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function formatAge(date: Date | string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  return s < 60
    ? `${s} s ago`
    : s < 3600
      ? `${Math.round(s / 60)} min ago`
      : s < 86_400
        ? `${Math.round(s / 3600)} h ago`
        : `${Math.round(s / 86_400)} d ago`;
}

/** A duration for limits: "10 s", "2 h", "2 d". */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120
    ? `${s} s`
    : s < 7200
      ? `${Math.round(s / 60)} min`
      : s < 172_800
        ? `${Math.round(s / 3600)} h`
        : `${Math.round(s / 86_400)} d`;
}
