import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const sourceExtensions = [".ts", ".tsx"];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return sourceExtensions.some((extension) => name.endsWith(extension)) ? [path] : [];
  });
}

/** The file a relative specifier lands on: our sources import `./x.js` for `./x.ts`. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.replace(/\.(js|jsx|mjs)$/, ""));
  const candidates = [
    ...sourceExtensions.map((extension) => base + extension),
    ...sourceExtensions.map((extension) => join(base, `index${extension}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/**
 * Every import, type-only ones and `export … from` included: a loop of types still ties two
 * folders into one, and the next value import along it makes the loop real at load time.
 */
function importGraph(files: string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      const targets = importedFiles
        .map(({ fileName }) => fileName)
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => resolveRelative(file, specifier))
        .filter((target): target is string => target !== undefined);
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Tarjan's strongly connected components: each one with two files or more is a loop. */
function importLoops(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    lowLink.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, lowLink.get(target) ?? 0));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const importsItself = graph.get(file)?.includes(file) ?? false;
    if (component.length > 1 || importsItself) loops.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return loops;
}

/** One loop in words: each file with the files of the same loop that it imports. */
function describeLoop(loop: string[], graph: Map<string, string[]>): string {
  const members = new Set(loop);
  return loop
    .toSorted()
    .map((file) => {
      const targets = (graph.get(file) ?? []).filter((target) => members.has(target));
      return `${relative(root, file)} -> ${targets.map((target) => relative(root, target)).join(", ")}`;
    })
    .join("\n");
}

/**
 * The server's domain folders, which providers build on: a provider imports the domain, never the
 * reverse, so a provider folder can be added or removed without touching them.
 */
const domainFolders = ["events", "calls", "sync", "connections"];
/** The providers' shared transport and its error types, which the domain's own requests use too. */
const sharedProviderFiles = ["providers/providerFetch.ts"];

/**
 * Imports from a domain folder into `providers/` (other than its shared files), as `from -> to` paths
 * relative to `sourceRoot`. Tests are left out: one may take a real provider as its fixture.
 */
function providerBackImports(graph: Map<string, string[]>, sourceRoot: string): string[] {
  const inside = (file: string) => relative(sourceRoot, file).split(sep).join("/");
  return [...graph].flatMap(([file, targets]) => {
    const from = inside(file);
    if (!domainFolders.some((folder) => from.startsWith(`${folder}/`)) || /\.test\.tsx?$/.test(from))
      return [];
    return targets
      .map(inside)
      .filter((to) => to.startsWith("providers/") && !sharedProviderFiles.includes(to))
      .map((to) => `${from} -> ${to}`);
  });
}

const packageFolders = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name, "src"))
  .filter((folder) => existsSync(folder));

describe("imports", () => {
  it.each(packageFolders.map((folder) => [relative(root, folder), folder]))(
    "%s has no import loop",
    (_name, folder) => {
      const graph = importGraph(sourceFiles(folder));
      expect(graph.size).toBeGreaterThan(0);
      expect(importLoops(graph).map((loop) => describeLoop(loop, graph))).toEqual([]);
    },
  );

  it("finds a loop of two files and a longer one", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["a", "c"]],
      ["c", ["d"]],
      ["d", ["e"]],
      ["e", ["c"]],
      ["f", ["a"]],
    ]);
    expect(importLoops(graph).map((loop) => loop.toSorted())).toEqual([
      ["c", "d", "e"],
      ["a", "b"],
    ]);
  });

  it("finds no import from a domain folder of the server into a provider folder", () => {
    const sourceRoot = join(root, "packages", "agenda-server", "src");
    expect(providerBackImports(importGraph(sourceFiles(sourceRoot)), sourceRoot)).toEqual([]);
  });

  it("tells a domain file importing a provider, and lets providers, tests and the shared fetch be", () => {
    const at = (path: string) => join("/src", path);
    const graph = new Map([
      [at("events/eventRoutes.ts"), [at("providers/zoom/zoomRequest.ts"), at("events/eventStore.ts")]],
      [at("sync/calendarHttp.ts"), [at("providers/providerFetch.ts")]],
      [at("calls/summarize.test.ts"), [at("providers/zoom/parseZoomVtt.ts")]],
      [at("providers/zoom/zoomModule.ts"), [at("events/agendaWrites.ts")]],
      [at("connections/oauthProviders.ts"), [at("providers/oauthProviders.ts")]],
    ]);
    expect(providerBackImports(graph, "/src")).toEqual([
      "events/eventRoutes.ts -> providers/zoom/zoomRequest.ts",
      "connections/oauthProviders.ts -> providers/oauthProviders.ts",
    ]);
  });
});
