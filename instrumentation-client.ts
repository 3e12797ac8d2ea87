import { z } from "zod";

/**
 * Runs in the browser before any of the app's modules (Next.js requires it ahead of hydration).
 * Security: the pages' CSP has no 'unsafe-eval'. Zod 4 probes `new Function("")` when it builds its first
 * object schema, to compile fast parsers; the CSP blocks the probe and zod falls back, but the browser
 * still reports a violation on every page. Jitless mode never probes (the forms' schemas are small).
 */
z.config({ jitless: true });
