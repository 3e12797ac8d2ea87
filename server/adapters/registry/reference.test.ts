import { describe, expect, it } from "vitest";
import { assertTagOrDigest, isLoopbackHost, resolveRegistryEndpoint } from "./reference";
import { buildDockerAuthConfig } from "./auth-config";

describe("resolveRegistryEndpoint", () => {
  it("derives the API base from the repository's host: http on loopback, https elsewhere", () => {
    expect(resolveRegistryEndpoint("127.0.0.1:5000/pixelfox/app")).toEqual({
      baseUrl: "http://127.0.0.1:5000",
      registryHost: "127.0.0.1:5000",
      name: "pixelfox/app",
    });
    expect(resolveRegistryEndpoint("localhost:5000/app")).toMatchObject({ baseUrl: "http://localhost:5000", name: "app" });
    expect(resolveRegistryEndpoint("ghcr.io/owner/pixelfox")).toEqual({
      baseUrl: "https://ghcr.io",
      registryHost: "ghcr.io",
      name: "owner/pixelfox",
    });
    expect(resolveRegistryEndpoint("registry.gitlab.com/group/sub/pixelfox")).toMatchObject({
      baseUrl: "https://registry.gitlab.com",
      name: "group/sub/pixelfox",
    });
  });

  it("prefers an explicit registry URL and strips the host from the repository", () => {
    expect(resolveRegistryEndpoint("127.0.0.1:5000/pixelfox/app", "http://127.0.0.1:5000/")).toMatchObject({
      baseUrl: "http://127.0.0.1:5000",
      name: "pixelfox/app",
    });
    expect(resolveRegistryEndpoint("pixelfox/app", "http://127.0.0.1:5000")).toMatchObject({
      baseUrl: "http://127.0.0.1:5000",
      name: "pixelfox/app",
    });
    expect(resolveRegistryEndpoint("owner/pixelfox", "ghcr.io")).toMatchObject({ baseUrl: "https://ghcr.io", name: "owner/pixelfox" });
  });

  it("maps Docker Hub names to registry-1.docker.io and library/", () => {
    expect(resolveRegistryEndpoint("nginx")).toEqual({
      baseUrl: "https://registry-1.docker.io",
      registryHost: "docker.io",
      name: "library/nginx",
    });
    expect(resolveRegistryEndpoint("docker.io/owner/app")).toMatchObject({ baseUrl: "https://registry-1.docker.io", name: "owner/app" });
  });

  it("refuses repositories and URLs that could escape the API path or carry secrets", () => {
    for (const bad of [
      "127.0.0.1:5000/../admin",
      "127.0.0.1:5000/Pixelfox",
      "127.0.0.1:5000/a?b",
      "ghcr.io/owner/app:v1",
      "",
      "127.0.0.1:5000/a/%2e%2e",
    ]) {
      expect(() => resolveRegistryEndpoint(bad), bad).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    }
    expect(() => resolveRegistryEndpoint("a/b", "ftp://x")).toThrow(/http or https/);
    expect(() => resolveRegistryEndpoint("a/b", "https://u:p@ghcr.io")).toThrow(/credentials/);
  });
});

describe("assertTagOrDigest / isLoopbackHost", () => {
  it("accepts tags and digests, refuses path tricks", () => {
    for (const ok of ["v1.0.0", "v1.2.0-broken", "latest", "1_2", `sha256:${"a".repeat(64)}`])
      expect(() => assertTagOrDigest(ok)).not.toThrow();
    for (const bad of ["../x", "-v1", ".hidden", "v1/2", "a b", "x".repeat(129), "v1?x"]) {
      expect(() => assertTagOrDigest(bad), bad).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    }
  });

  it("knows the loopback", () => {
    expect(isLoopbackHost("127.0.0.1:5000")).toBe(true);
    expect(isLoopbackHost("127.8.9.1")).toBe(true);
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("[::1]:5000")).toBe(true);
    expect(isLoopbackHost("10.213.77.11:5000")).toBe(false);
    expect(isLoopbackHost("127.0.0.1.evil.com")).toBe(false);
  });
});

describe("buildDockerAuthConfig", () => {
  it("names the registry host the engine will contact", () => {
    const credentials = { username: "pxfci", password: "s3cret-pass" };
    expect(buildDockerAuthConfig({ repository: "127.0.0.1:5000/pixelfox/app", credentials })).toEqual({
      username: "pxfci",
      password: "s3cret-pass",
      serveraddress: "127.0.0.1:5000",
    });
    expect(buildDockerAuthConfig({ repository: "ghcr.io/o/p", credentials })?.serveraddress).toBe("ghcr.io");
    expect(buildDockerAuthConfig({ repository: "o/p", credentials })?.serveraddress).toBe("https://index.docker.io/v1/");
    expect(buildDockerAuthConfig({ repository: "ghcr.io/o/p" })).toBeUndefined();
  });
});
