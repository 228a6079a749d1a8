import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createGoogleSandbox,
  createMicrosoftSandbox,
  createZoomSandbox,
  type RunningSandbox,
  type SandboxAccount,
} from "@crm-agenda/sandbox";
import type { AgendaOptions } from "@crm-agenda/server";
import { demoPeople } from "./demoSession";

type Environment = Record<string, string | undefined>;

/** Each demo person has an account of the same e-mail at every sandbox provider. */
const sandboxAccounts: SandboxAccount[] = Object.values(demoPeople).map((person) => ({
  id: `sandbox-${person.userId}`,
  email: person.email,
  name: person.name,
}));

/**
 * The demo's providers: each one at its real service when its base URL is set in the environment,
 * otherwise a sandbox stand-in on loopback, started here, with credentials of its own.
 */
export async function startProviders(env: Environment, dataDir: string) {
  const running: RunningSandbox[] = [];
  const where: Record<string, string> = {};

  async function sandbox(name: string, start: () => Promise<RunningSandbox>): Promise<string> {
    const server = await start();
    running.push(server);
    where[name] = `sandbox at ${server.url}`;
    return server.url;
  }

  const credentials = (prefix: string) => ({
    clientId: env[`${prefix}_CLIENT_ID`] ?? `demo-${prefix.toLowerCase()}-client`,
    clientSecret: env[`${prefix}_CLIENT_SECRET`] ?? `demo-${prefix.toLowerCase()}-secret`,
  });

  const zoom = credentials("ZOOM");
  const zoomSandbox = env.ZOOM_BASE_URL
    ? null
    : createZoomSandbox({ accounts: sandboxAccounts, client: zoom, autoApprove: true });
  const google = credentials("GOOGLE");
  const microsoft = credentials("MICROSOFT");
  const providers: NonNullable<AgendaOptions["providers"]> = {
    zoom: {
      ...zoom,
      webhookSecretToken: env.ZOOM_WEBHOOK_SECRET_TOKEN ?? "demo-zoom-webhook-secret",
      baseUrl: env.ZOOM_BASE_URL ?? (await sandbox("zoom", () => zoomSandbox!.start())),
    },
    google: {
      ...google,
      baseUrl:
        env.GOOGLE_BASE_URL ??
        (await sandbox("google", () =>
          createGoogleSandbox({ accounts: sandboxAccounts, client: google, autoApprove: true }).start(),
        )),
    },
    microsoft: {
      ...microsoft,
      ...(env.MICROSOFT_TENANT && { tenant: env.MICROSOFT_TENANT }),
      baseUrl:
        env.MICROSOFT_BASE_URL ??
        (await sandbox("microsoft", () =>
          createMicrosoftSandbox({ accounts: sandboxAccounts, client: microsoft, autoApprove: true }).start(),
        )),
    },
  };
  for (const name of ["zoom", "google", "microsoft"]) where[name] ??= "real service";

  return {
    providers,
    /** The Zoom stand-in, when the demo runs one: the "simulate a call" action records calls in it. */
    zoomSandbox,
    sandboxAccountOf: (email: string) => sandboxAccounts.find((account) => account.email === email) ?? null,
    encryptionKeys: env.AGENDA_ENCRYPTION_KEYS ?? demoEncryptionKey(dataDir),
    where,
    async stop() {
      await Promise.all(running.map((server) => server.stop()));
    },
  };
}

/** A key kept in the demo's data folder; a real host sets AGENDA_ENCRYPTION_KEYS from its secret store. */
function demoEncryptionKey(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "demo-encryption-key");
  if (!existsSync(file)) writeFileSync(file, `demo:${randomBytes(32).toString("base64")}`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
