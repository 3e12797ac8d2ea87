/** Shared look of text-like controls (Input, Textarea, Select); invalid state comes from aria-invalid. */
export const controlClasses = [
  "block w-full rounded-md border border-border-strong bg-surface px-2.5 text-sm text-fg shadow-xs",
  "placeholder:text-muted transition-colors",
  "focus-visible:border-accent focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-accent/25",
  "aria-invalid:border-danger aria-invalid:focus-visible:ring-danger/25",
  "disabled:cursor-not-allowed disabled:bg-subtle disabled:opacity-70",
  "read-only:bg-subtle",
].join(" ");
