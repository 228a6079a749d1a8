// The benches give a host's figures, so they run the built packages, as a host installs them, never our
// source through the `@crm-agenda/source` condition: they stop here when the packages are not built,
// and say so when the source changed after the build. The sandbox stays source: it stands in for the
// providers and the database, which no host installs from us.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

type ServerModule = typeof import("../packages/agenda-server/src/index");

const packages = ["shared", "agenda-server"].map((name) => ({
  name,
  source: fileURLToPath(new URL(`../packages/${name}/src`, import.meta.url)),
  entry: new URL(`../packages/${name}/dist/index.js`, import.meta.url),
}));

/** The newest modification time of a file under `folder`. */
function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The built server's entry; exits with what to run when `npm run build` has not been run. */
export function builtServer(): URL {
  for (const pack of packages) {
    if (!existsSync(pack.entry)) {
      console.error(
        `packages/${pack.name}/dist is missing: run \`npm run build\` first (the bench runs the built packages, as a host installs them).`,
      );
      process.exit(1);
    }
    if (newest(pack.source) > statSync(pack.entry).mtimeMs)
      console.warn(
        `packages/${pack.name}/src changed after the build: run \`npm run build\` to measure the change.`,
      );
  }
  return packages[1]!.entry;
}

/** The built server package, typed as its source declares it. */
export async function importBuiltServer(): Promise<ServerModule> {
  return (await import(builtServer().href)) as ServerModule;
}
