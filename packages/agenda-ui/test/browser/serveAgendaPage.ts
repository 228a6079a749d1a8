import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build, defaultClientConditions } from "vite";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * Builds a test page (the index.html and main.tsx in `root`, over the package's source) and serves it
 * on a free local port.
 * @param root the page's folder
 * @default this folder: the agenda page of agenda.browser.test.ts
 */
export async function serveAgendaPage(
  root: string = import.meta.dirname,
): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = mkdtempSync(join(tmpdir(), "agenda-browser-page-"));
  await build({
    configFile: false,
    root,
    logLevel: "error",
    resolve: { conditions: ["@crm-agenda/source", ...defaultClientConditions] },
    define: { "process.env.NODE_ENV": JSON.stringify("development") },
    build: { outDir, emptyOutDir: true, minify: false, sourcemap: false },
  });
  const server = createServer(async (request, response) => {
    const path = normalize(new URL(request.url ?? "/", "http://page").pathname).replace(/^\/+/, "");
    const file = join(outDir, path === "" ? "index.html" : path);
    try {
      const body = await readFile(file.startsWith(outDir) ? file : join(outDir, "index.html"));
      response.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
