// What the role matrix (e2e/9-proofs/01-role-matrix.spec.ts) calls: every procedure of a tRPC router,
// read from the router itself so that a new procedure cannot be left out.

export interface ProcedureInfo {
  /** "host.create" */
  path: string;
  type: "query" | "mutation" | "subscription";
  /** True when `{}` passes every input parser (or there is none): an allowed caller's call would run it. */
  acceptsEmptyInput: boolean;
}

interface ParserLike {
  safeParse?: (value: unknown) => { success: boolean };
}

/** What is read of a router: its flat `_def.procedures` (typed by tRPC as the nested record it stands for). */
interface RouterLike {
  _def: { procedures: object; lazy?: object };
}

type ProcedureDef = { _def: { type: ProcedureInfo["type"]; inputs: unknown[] } };

/**
 * Every procedure of `router` (tRPC v11 keeps them flat, by dotted path, in `_def.procedures`), sorted.
 * Throws on a lazy sub-router, whose procedures are not listed until it is loaded, and on an input
 * parser that cannot say whether it accepts `{}` (not a zod schema): the matrix must not guess.
 */
export function listProcedures(router: RouterLike): ProcedureInfo[] {
  const lazy = Object.keys(router._def.lazy ?? {});
  if (lazy.length) throw new Error(`lazy routers are not enumerable before they load: ${lazy.join(", ")}`);
  return Object.entries(router._def.procedures as Record<string, ProcedureDef>)
    .map(([path, procedure]) => {
      const inputs = procedure._def.inputs as ParserLike[];
      const acceptsEmptyInput = inputs.every((parser) => {
        if (typeof parser.safeParse !== "function") throw new Error(`${path}: its input parser is not a zod schema`);
        return parser.safeParse({}).success;
      });
      return { path, type: procedure._def.type, acceptsEmptyInput };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
