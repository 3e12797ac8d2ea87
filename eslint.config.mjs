import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import tseslint from "typescript-eslint";

const TS_FILES = ["**/*.ts", "**/*.tsx"];
// The files eslint-config-next lints (its react, react-hooks and @next plugins are defined for these only).
const NEXT_FILES = ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"];

const eslintConfig = defineConfig([
  globalIgnores([
    ".next/**",
    ".next-test/**",
    "node_modules/**",
    "next-env.d.ts",
    "data/**",
    "coverage/**",
    "prisma/migrations/**",
    "test-results/**",
    "playwright-report/**",
  ]),
  ...nextVitals,
  ...nextTypescript,
  // Type-aware rules (no-floating-promises, no-misused-promises, await-thenable, ...) on the TypeScript the tsconfig covers.
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({ ...config, files: TS_FILES })),
  {
    files: TS_FILES,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The `any` these flag comes from JSON.parse, Response.json(), `new Array(n)` and ssh2's key helpers at I/O edges and in tests; casts there would add noise, not safety.
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Fakes and adapters are `async` without `await` on purpose: they implement Promise-returning ports and turn a throw into a rejection.
      "@typescript-eslint/require-await": "off",
      // It flags String() of FormData text fields (typed string | File) and of `unknown` narrowed to `{}` in display code; objects in templates are still caught by restrict-template-expressions.
      "@typescript-eslint/no-base-to-string": "off",
      // React ignores an event handler's return value, and every async handler here catches its own errors.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Passing on a caught `unknown` (or a library's `any` error) is a rethrow, as only-throw-error already allows for `throw`.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: NEXT_FILES,
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "react-hooks/exhaustive-deps": "error",
      // Informs that the React Compiler skips a component (useVirtualizer); this project does not enable the compiler.
      "react-hooks/incompatible-library": "off",
    },
  },
  {
    // These effects reset local state when their input changes (form seeded from a query, draft reset on a new URL, stream reset on a new URL): one extra render, by design.
    files: ["components/offsite/offsite-card.tsx", "components/logs/log-toolbar.tsx", "components/logs/use-log-stream.ts"],
    rules: { "react-hooks/set-state-in-effect": "off" },
  },
  {
    // The ring buffer is mutated outside React for throughput and re-read from its ref on each `version` bump.
    files: ["components/logs/use-log-stream.ts"],
    rules: { "react-hooks/refs": "off" },
  },
  {
    // The "since" label compares the first sample with the clock at render time; the chart re-renders on every 30 s refetch.
    files: ["components/health/metric-chart.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    // A full page load to /login after the user's sessions are ended is the point: it drops the client's cached state of the dead session.
    files: ["components/settings/password-card.tsx", "components/settings/sessions-card.tsx"],
    rules: { "@next/next/no-location-assign-relative-destination": "off" },
  },
  {
    // A plain Node script run by `node`, outside the bundler and the tsconfig: CommonJS is its module system.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
]);

export default eslintConfig;
