import { initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "@/server/trpc/root";
import { listProcedures } from "./procedure-list";

describe("procedures from the router", () => {
  it("lists nested procedures by path with their type, and says which would run on an empty input", () => {
    const t = initTRPC.create();
    const router = t.router({
      host: t.router({
        list: t.procedure.query(() => []),
        create: t.procedure.input(z.object({ name: z.string() })).mutation(() => null),
      }),
      signOut: t.procedure.mutation(() => null),
      audit: t.procedure.input(z.object({ limit: z.number().default(5) }).default({ limit: 5 })).query(() => []),
    });
    expect(listProcedures(router)).toEqual([
      { path: "audit", type: "query", acceptsEmptyInput: true },
      { path: "host.create", type: "mutation", acceptsEmptyInput: false },
      { path: "host.list", type: "query", acceptsEmptyInput: true },
      { path: "signOut", type: "mutation", acceptsEmptyInput: true },
    ]);
  });

  it("refuses a lazy router, whose procedures it cannot see yet", () => {
    expect(() => listProcedures({ _def: { procedures: {}, lazy: { later: {} } } })).toThrow(/lazy routers.*later/);
  });

  it("sees the panel's own router, with the mutations that run without input", () => {
    const procedures = listProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(80);
    expect(procedures.filter((p) => p.type === "mutation" && p.acceptsEmptyInput).map((p) => p.path)).toEqual([
      "account.signOutEverywhere",
      "health.checkOtherHosts",
    ]);
  });
});
