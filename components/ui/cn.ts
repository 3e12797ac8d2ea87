/** Joins class names, skipping falsy ones. No tailwind-merge: put overrides in `className` and avoid conflicting utilities. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
