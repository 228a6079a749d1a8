import { defineConfig } from "tsup";

export default defineConfig({
  // `routes` is an entry of its own so that a browser bundle reaching it never evaluates a Zod schema;
  // `tools` (assistants' tool definitions, built with Zod when loaded) is one so no browser loads it.
  entry: { index: "src/index.ts", routes: "src/routes.ts", tools: "src/tools.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
