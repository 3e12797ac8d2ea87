import { describe, expect, it } from "vitest";
import { flattenFieldErrors } from "@/server/field-errors";
import { parseGoLiveSettings, ZGoLiveSettings } from "./golive";

const DEFAULTS = {
  images: { db: "mysql:8.4", cache: "docker.dragonflydb.io/dragonflydb/dragonfly", caddy: "caddy:2", nginx: "nginx:1.27" },
  cacheFlavor: "dragonfly",
  proxy: "caddy",
  smokeSteps: ["ping", "home"],
};
/** The form's view of a refusal: `{ field: [rules] }`, as the tRPC formatter and the REST API word it. */
const refusal = (input: unknown) => {
  const r = ZGoLiveSettings.safeParse(input);
  return r.success ? null : flattenFieldErrors(r.error);
};

describe("ZGoLiveSettings", () => {
  it("defaults to the plan's templates: MySQL 8.4, Dragonfly, Caddy, the ping and home smoke steps", () => {
    expect(ZGoLiveSettings.parse({})).toEqual(DEFAULTS);
    expect(parseGoLiveSettings(null)).toEqual(DEFAULTS);
    expect(parseGoLiveSettings("")).toEqual(DEFAULTS);
    expect(parseGoLiveSettings("{}")).toEqual(DEFAULTS);
  });

  it("keeps the other images' defaults when one is set; trims an image", () => {
    expect(ZGoLiveSettings.parse({ images: { db: " 127.0.0.1:5000/fleet/mariadb:11 " } }).images).toEqual({
      ...DEFAULTS.images,
      db: "127.0.0.1:5000/fleet/mariadb:11",
    });
    expect(ZGoLiveSettings.parse({ images: { cache: "redis@sha256:" + "a".repeat(64) } }).images.cache).toBe(
      "redis@sha256:" + "a".repeat(64),
    );
  });

  it.each([
    "MySQL:8.4",
    "mysql:8.4; rm -rf /",
    "mysql 8.4",
    "",
    "registry.example.com/Team/caddy:2",
    "-caddy",
    "caddy:",
    "redis@sha256:abc",
    "a\nb",
  ])("refuses the image %j, naming images.<role> and the rule", (image) => {
    const errors = refusal({ images: { caddy: image } });
    expect(Object.keys(errors ?? {})).toEqual(["images.caddy"]);
    expect(errors!["images.caddy"]!.join(" ")).toMatch(/An image like mysql:8\.4 or registry\.example\.com\/team\/caddy:2|Required/);
  });

  it("names cacheFlavor and proxy with the values they take", () => {
    expect(refusal({ cacheFlavor: "memcached" })).toEqual({ cacheFlavor: ["dragonfly or redis"] });
    expect(refusal({ cacheFlavor: "Redis" })).toEqual({ cacheFlavor: ["dragonfly or redis"] });
    expect(refusal({ proxy: "traefik" })).toEqual({ proxy: ["caddy or nginx"] });
    expect(refusal({ proxy: "nginx", cacheFlavor: "redis" })).toBeNull();
  });

  it("takes an ACME email only if it is one (it goes into the Caddyfile)", () => {
    expect(ZGoLiveSettings.parse({ acmeEmail: "ops@pixelfox.cc" }).acmeEmail).toBe("ops@pixelfox.cc");
    for (const bad of ["ops@pixelfox.cc\n}", "ops@pixelfox.cc }", "a b@pixelfox.cc", "ops{x}@pixelfox.cc", "ops"])
      expect(refusal({ acmeEmail: bad }), bad).toEqual({ acmeEmail: ["An email address"] });
  });

  it("checks the smoke steps with their rules", () => {
    expect(refusal({ smokeSteps: [] })).toEqual({ smokeSteps: [expect.stringMatching(/^Choose at least one smoke step/)] });
    expect(refusal({ smokeSteps: ["upload"] })).toEqual({
      smokeSteps: ["The upload step needs the account step (uploads are made by the smoke account)"],
    });
    expect(refusal({ smokeSteps: ["ping", "ping"] })).toEqual({ smokeSteps: ["A smoke step is listed twice"] });
  });

  it("a stored value the schema no longer takes is refused, never silently replaced by a default", () => {
    expect(() => parseGoLiveSettings('{"cacheFlavor":"keydb"}')).toThrow(/dragonfly or redis/);
  });
});
