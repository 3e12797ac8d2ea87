/**
 * Prints the panel's tRPC procedures as JSON (see procedure-list.ts), for the role matrix spec.
 * Run with `node --import tsx scripts/testing/list-procedures.ts`; it only loads the router (the store
 * is opened lazily, so no database is touched).
 */
import { appRouter } from "@/server/trpc/root";
import { listProcedures } from "./procedure-list";

console.log(JSON.stringify(listProcedures(appRouter)));
