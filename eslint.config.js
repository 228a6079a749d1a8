// Type-aware promise checks, which Biome 2.6.8 cannot make yet: its nursery noFloatingPromises does
// not see the promises of pg's overloaded Pool methods (`pool.query`, `pool.connect`, the calls that
// reject when the database drops a connection) and takes `void` as handling, while it made
// `biome check` about 3 times slower. On the server a rejected promise nobody handles ends the host's
// process (Node's default), so there `void` is not enough either; in the browser a `void`-ed call from
// an event handler is a deliberate choice.
import tseslint from "typescript-eslint";

const typed = {
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
  },
  plugins: { "@typescript-eslint": tseslint.plugin },
  linterOptions: { reportUnusedDisableDirectives: "error" },
};
const ignores = ["**/*.test.{ts,tsx}", "**/*.test-d.ts", "**/*.stories.tsx"];

export default tseslint.config(
  // What builds write: a second `npm test` must not lint Storybook's or tsup's output.
  { ignores: ["**/dist/**", "storybook-static/**", "coverage/**", "test-results/**", ".data/**"] },
  {
    ...typed,
    files: ["packages/*/src/**/*.{ts,tsx}"],
    ignores,
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  {
    ...typed,
    files: ["packages/{agenda-server,shared,sandbox}/src/**/*.ts"],
    ignores,
    rules: {
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: false }],
      "@typescript-eslint/no-misused-promises": ["error", { checksConditionals: false }],
    },
  },
);
