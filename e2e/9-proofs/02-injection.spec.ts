import { expect, test } from "@playwright/test";
import { fleetHost } from "../support/fleet";
import { hostileStrings, MARKER_PREFIX } from "../support/hostile-strings";
import { signIn } from "../support/panel";
import { findInjectionTraces } from "../support/side-effects";
import { accessTargets } from "./injection-access";
import { judge, trpcCall, type Scene } from "./injection-calls";
import { baseHost, baseStack, inventoryTargets } from "./injection-inventory";

// The injection corpus of issue #11: every hostile string goes to every input that reaches a host, a
// path, a query or a generated config file (injection-inventory.ts, injection-access.ts). Each answer is a refusal naming the
// field and its rule, or the value handled inertly (stored as given and read back, or not found, or a
// stream that ends); then no marker file and no marker process may be found on this machine, the
// fleet's hosts or their containers. Everything goes to a stack and a host of this spec's own, deleted at the end.

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const RUN = Date.now().toString(36);
const CORPUS = hostileStrings(RUN);
let scene: Scene | null = null;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}` });
  await signIn(await context.newPage(), ADMIN.email, ADMIN.password);
  const draft: Scene = { request: context.request, run: RUN, keyPath: fleetHost("app").privateKeyPath, stackId: "", hostId: "" };
  const stack = await trpcCall(draft.request, "mutation", "stack.create", baseStack(draft));
  expect(stack.status, stack.message).toBe(200);
  const host = await trpcCall(draft.request, "mutation", "host.create", baseHost(draft));
  expect(host.status, host.message).toBe(200);
  scene = { ...draft, stackId: (stack.data as { id: string }).id, hostId: (host.data as { id: string }).id };
});

test.afterAll(async () => {
  if (!scene) return;
  // The stack takes its services, schedules and off-site settings with it; then its host can go.
  await trpcCall(scene.request, "mutation", "stack.delete", { id: scene.stackId });
  await trpcCall(scene.request, "mutation", "host.delete", { id: scene.hostId });
});

test("every hostile string is refused naming the field and its rule, or handled inertly, and nothing runs on any host", async () => {
  test.setTimeout(240_000);
  expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  const { request, stackId, hostId } = scene!;
  const groups = [...inventoryTargets(scene!), ...accessTargets(scene!)];
  const failures: string[] = [];
  const counts = { calls: 0, refused: 0, accepted: 0 };
  await Promise.all(
    groups.map(async (group) => {
      for (const target of group) {
        for (const h of CORPUS) {
          const answer = await target.send(h.value);
          counts.calls++;
          if (answer.status >= 200 && answer.status < 300) counts.accepted++;
          else counts.refused++;
          const why = await judge(target, h.value, answer);
          if (why) failures.push(`  ${target.name.padEnd(44)} #${String(h.n).padStart(2)} ${h.label}: ${why}`);
        }
      }
    }),
  );
  // Put the spec's own objects back as they were created, whatever was accepted on the way.
  await trpcCall(request, "mutation", "stack.update", { id: stackId, ...baseStack(scene!) });
  await trpcCall(request, "mutation", "host.update", { id: hostId, ...baseHost(scene!) });
  console.log(
    `[injection] ${CORPUS.length} strings × ${groups.flat().length} inputs: ${counts.calls} calls, ${counts.refused} refused, ${counts.accepted} accepted`,
  );
  // Soft: the hosts are checked for side effects whatever the answers were.
  expect
    .soft(failures, `${failures.length} answer(s) were neither a refusal naming the field nor inert:\n${failures.join("\n")}`)
    .toEqual([]);

  const markers = CORPUS.flatMap((h) => (h.marker ? [h.marker] : []));
  const { traces, leftovers } = await findInjectionTraces(MARKER_PREFIX, markers);
  if (leftovers.length) console.warn(`[injection] files of an earlier run, not this one's: ${leftovers.join("; ")}`);
  expect(traces, `something the corpus carries ran:\n${traces.join("\n")}`).toEqual([]);
});
