import { defineConfig } from "tsup";

export default defineConfig({
  // `routes` is an entry of its own so that a browser bundle reaching it never evaluates a Zod schema.
  entry: { index: "src/index.ts", routes: "src/routes.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
