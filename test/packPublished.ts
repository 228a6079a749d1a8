import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

// The published shape: what a CRM gets from the registry, not what the workspace sees from source.
// Needs `pnpm run build` first (the README's test command builds before it tests).
export const workspaceRoot = resolve(import.meta.dirname, "..");

export const published = {
  "@crm-agenda/shared": "packages/shared",
  "@crm-agenda/server": "packages/agenda-server",
  "@crm-agenda/ui": "packages/agenda-ui",
} as const;
export type PackageName = keyof typeof published;

export function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

let pnpmCommand: string[] | undefined;

/** pnpm when it is installed, otherwise pnpm 10 through npx, as the README's commands do. */
export function pnpmArgs(args: string[]): [string, string[]] {
  if (!pnpmCommand) {
    try {
      run("pnpm", ["--version"], workspaceRoot);
      pnpmCommand = ["pnpm"];
    } catch {
      pnpmCommand = ["npx", "--yes", "pnpm@10"];
    }
  }
  const [command, ...prefix] = pnpmCommand;
  return [command as string, [...prefix, ...args]];
}

/** `pnpm pack` of the three published packages into `destination`; the tarball of each. */
export function packPublished(destination: string): Record<PackageName, string> {
  mkdirSync(destination, { recursive: true });
  const tarballs = {} as Record<PackageName, string>;
  for (const [name, folder] of Object.entries(published) as [PackageName, string][]) {
    const before = new Set(readdirSync(destination));
    run(...pnpmArgs(["pack", "--pack-destination", destination]), join(workspaceRoot, folder));
    const file = readdirSync(destination).find((entry) => !before.has(entry));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[name] = join(destination, file);
  }
  return tarballs;
}
