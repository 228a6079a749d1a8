// The benches that give a host's figures run the built server package, as a host installs it, never
// our source through the `@crm-agenda/source` condition: they stop here when it is not built.
import { existsSync } from "node:fs";

/** The built server's entry; exits with what to run when `npm run build` has not been run. */
export function builtServer(): URL {
  const entry = new URL("../packages/agenda-server/dist/index.js", import.meta.url);
  if (!existsSync(entry)) {
    console.error(
      "packages/agenda-server/dist is missing: run `npm run build` first (the bench runs the built package).",
    );
    process.exit(1);
  }
  return entry;
}
