import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEnv, parseEnvText, type EnvEntry } from "./env-format";
import { hostFileProblem } from "./env-quoting";
import { hostEnvFileText } from "./host-env-file";
import { readLikeComposeV2 } from "./testing/compose-v2-dotenv";
import { buildGodotenvReader, findOnPath, GODOTENV_SRC, readWithComposeV1, readWithGodotenv, readWithShell } from "./testing/env-readers";

/** Values an attacker or an unlucky password generator may hand the panel (`marker` must never appear). */
const HOSTILE = [
  "$(touch marker)",
  "`touch marker`",
  "x; touch marker",
  "$HOME",
  "$(",
  "${NOPE",
  "a'b",
  'a"b',
  "a\\b",
  "a #b",
  "#x",
  " lead",
  "trail ",
  "x=y",
  "€uro",
  "\\n",
  ";rm -rf /",
  "&&",
  "|",
  ">",
  "<",
  "~/x",
  "*",
  "{a,b}",
  "!x",
  "'",
  '"',
  "$",
  "",
  "tab\there",
  "'quoted'",
  "a'b#c d",
  "p@ss:w0rd/+=%,.-_",
  "日本語 テキスト",
  "\u00a0nbsp\u00a0",
];

/** Values no quoting carries to every reader, with what the refusal says. */
const REFUSED: [value: string, message: RegExp][] = [
  ["${HOME}", /\$\{…\} would be replaced by docker-compose 1\.x/],
  ["a\\\\b", /two backslashes/],
  ["it's $5", /both ' and \$/],
  ["it's `id`", /both ' and `/],
  ["it's \\", /both ' and \\/],
  ['say "hi", it\'s me', /both ' and "/],
  ["ends\\", /cannot end with \\/],
  ["esc\x1b[31m", /control characters are not allowed \(found U\+001B\)/],
  ["cr\rlf", /found U\+000D/],
];

/** Random values over the characters the readers disagree on (seeded: a failure is reproducible). */
function randomValues(count: number, seed = 20261128): string[] {
  const alphabet = [
    "$",
    "`",
    "\\",
    "'",
    '"',
    "#",
    " ",
    "=",
    "{",
    "}",
    "(",
    ")",
    ";",
    "|",
    "&",
    ">",
    "~",
    "*",
    "!",
    "€",
    "a",
    "n",
    "\t",
    ":",
  ];
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 10) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
  );
}

const PREFIX = "PXF_Q";
const hasGodotenv = !!findOnPath("go") && fs.existsSync(GODOTENV_SRC);
const entriesOf = (values: string[]): EnvEntry[] => values.map((v, i) => [`${PREFIX}${i}`, v]);

describe("formatEnv and parseEnvText", () => {
  it("read back every value exactly, hostile or not, writable or not", () => {
    const entries = entriesOf([...HOSTILE, ...REFUSED.map(([v]) => v), ...randomValues(500)]);
    expect(parseEnvText(formatEnv(entries)).entries).toEqual(entries);
  });

  it("keep the text readable: bare when nothing needs quoting, single quotes first, double quotes around a '", () => {
    expect(
      formatEnv([
        ["DB_HOST", "10.0.0.2"],
        ["URL", "http://x/?a=b"],
        ["GREETING", "hello world"],
        ["CMD", "$(id)"],
        ["SAID", "it's"],
        ["EMPTY", ""],
      ]),
    ).toBe("DB_HOST=10.0.0.2\nURL='http://x/?a=b'\nGREETING='hello world'\nCMD='$(id)'\nSAID=\"it's\"\nEMPTY=\n");
  });

  it("refuse at save time what the host's .env cannot carry, naming the key and the character, never the value", () => {
    for (const [value, message] of REFUSED) {
      const { entries, problems } = parseEnvText(formatEnv([["DB_PASSWORD", value]]));
      expect(problems, JSON.stringify(value)).toEqual([{ line: 1, message: expect.stringMatching(message) as string }]);
      expect(problems[0]!.message).toMatch(/^DB_PASSWORD: /);
      if (value.length > 3) expect(problems[0]!.message).not.toContain(value);
      expect(entries).toEqual([["DB_PASSWORD", value]]); // kept: a version saved before the rule still deploys
    }
    for (const value of HOSTILE) expect(hostFileProblem("K", value), JSON.stringify(value)).toBeNull();
  });

  it("refuse names the shell acts on once it sources the file", () => {
    for (const key of ["BASH_ENV", "ENV", "PROMPT_COMMAND", "PS1", "IFS", "PATH", "LD_PRELOAD"])
      expect(parseEnvText(`${key}=x\n`).problems[0]?.message).toMatch(new RegExp(`^${key} is a variable the shell itself acts on`));
    expect(parseEnvText("ENVIRONMENT=prod\nAPP_PATH=/x\n").problems).toEqual([]);
  });

  it("will not write a version that holds such a value to the host", () => {
    expect(() => hostEnvFileText({ version: 7, entries: ["A=1", "DB_PASSWORD=it's $5"] }, new Date())).toThrow(
      /Env version 7 cannot be written to \/srv\/pixelfox\/\.env as it is: DB_PASSWORD: a value cannot hold both ' and \$/,
    );
  });
});

describe("the host's .env, as the programs that read it see it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-envquote-"));
  const values = [...HOSTILE, ...randomValues(300)].filter((v) => hostFileProblem("K", v) === null);
  const expected = Object.fromEntries(entriesOf(values));
  const marker = path.join(dir, "marker");
  let godotenvReader: string | null = null;

  beforeAll(() => {
    const text = hostEnvFileText({ version: 1, entries: entriesOf(values).map(([k, v]) => `${k}=${v}`) }, new Date());
    fs.writeFileSync(path.join(dir, ".env"), text);
    if (hasGodotenv) godotenvReader = buildGodotenvReader(dir);
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("holds most of the random values (the filter above does not hide the test)", () => {
    expect(values.length).toBeGreaterThan(200);
  });

  it.each(["sh", "bash"])("%s sourcing it (set -a; . ./.env) gets every value byte-exact and runs nothing", (shell) => {
    expect(readWithShell(shell, dir, ".env", PREFIX)).toEqual(expected);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.skipIf(!findOnPath("docker-compose"))(
    "docker-compose 1.x (--env-file … config) gets every value",
    () => {
      expect(readWithComposeV1(dir, ".env", Object.keys(expected))).toEqual(expected);
      expect(fs.existsSync(marker)).toBe(false);
    },
    20_000,
  );

  it("docker compose v2's dotenv rules (compose-go) give every value", () => {
    // The oracle's own rules first, as compose-go's parser has them.
    expect(readLikeComposeV2("A='a\\\\b'\nB='a\\'b'\nC=\"a\\$b\\tc\"\nD=a #c\nexport E = $$x\n")).toEqual({
      A: "a\\\\b",
      B: "a'b",
      C: "a$b\tc",
      D: "a",
      E: "$x",
    });
    expect(readLikeComposeV2(fs.readFileSync(path.join(dir, ".env"), "utf8"))).toEqual(expected);
  });

  it("misread each value the panel refuses, in one of them at least (the refusals are needed)", () => {
    const bin = godotenvReader;
    const refused = REFUSED.map(([v]) => v).filter((v) => !/[\x00-\x1f]/.test(v)); // controls: the panel's own rule
    const attempt = (read: () => Record<string, string>, key: string) => {
      try {
        return read()[key];
      } catch {
        return undefined; // the reader refused the file: a misreading too
      }
    };
    // The quick readers first, one file per value (an unterminated quote spoils the lines after it).
    const left = refused.filter((v, i) => {
      const f = `.env.refused${i}`;
      fs.writeFileSync(path.join(dir, f), formatEnv([[`${PREFIX}0`, v]]));
      const reads = [
        attempt(() => readWithShell("sh", dir, f, PREFIX), `${PREFIX}0`),
        attempt(() => readLikeComposeV2(fs.readFileSync(path.join(dir, f), "utf8")), `${PREFIX}0`),
        ...(bin ? [attempt(() => readWithGodotenv(bin, dir, f, PREFIX), `${PREFIX}0`)] : []),
      ];
      return reads.every((r) => r === v);
    });
    // What only docker-compose 1.x misreads (it substitutes ${…} and turns \\ into \ even in single quotes).
    expect(left).toEqual(["${HOME}", "a\\\\b"]);
    if (findOnPath("docker-compose")) {
      const entries = entriesOf(left);
      fs.writeFileSync(path.join(dir, ".env.refused"), formatEnv(entries));
      const read = readWithComposeV1(dir, ".env.refused", Object.keys(Object.fromEntries(entries)));
      expect(entries.filter(([k, v]) => read[k] === v)).toEqual([]);
    }
    expect(fs.existsSync(marker)).toBe(false);
  }, 30_000);

  it.skipIf(!hasGodotenv)("the app's loader (godotenv, as the stand-in builds it) gets every value", () => {
    expect(readWithGodotenv(godotenvReader!, dir, ".env", PREFIX)).toEqual(expected);
  });
});
