import type { RegistryTag } from "./types";

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Semver-ish natural order, ascending: `v1.10.0` after `v1.9.0`, a pre-release (`v1.2.0-rc1`)
 * before its release, version-like tags after words like `latest`.
 */
export function compareTagNames(a: string, b: string): number {
  const va = a.match(VERSION);
  const vb = b.match(VERSION);
  if (va && vb) {
    for (const i of [1, 2, 3]) {
      const diff = Number(va[i] ?? 0) - Number(vb[i] ?? 0);
      if (diff !== 0) return diff;
    }
    const pa = va[4];
    const pb = vb[4];
    if (pa === undefined && pb !== undefined) return 1;
    if (pa !== undefined && pb === undefined) return -1;
    if (pa !== undefined && pb !== undefined && pa !== pb) return collator.compare(pa, pb);
    return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  }
  if (va) return 1;
  if (vb) return -1;
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Newest first: tags with a creation date by date (newest first), then undated ones by version, descending. */
export function compareTagsNewestFirst(a: RegistryTag, b: RegistryTag): number {
  const ta = a.createdAt?.getTime();
  const tb = b.createdAt?.getTime();
  const hasA = ta !== undefined && !Number.isNaN(ta);
  const hasB = tb !== undefined && !Number.isNaN(tb);
  if (hasA && hasB && ta !== tb) return tb - ta;
  if (hasA !== hasB) return hasA ? -1 : 1;
  return compareTagNames(b.tag, a.tag);
}
