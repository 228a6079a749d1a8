import type { AddressInfo } from "node:net";
import type { Express } from "express";

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** Listens on loopback only: sandbox providers are never reachable from another machine. */
export async function listen(app: Express, port = 0): Promise<RunningSandbox> {
  const server = app.listen(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
