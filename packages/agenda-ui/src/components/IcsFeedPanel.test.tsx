// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AgendaProvider } from "../AgendaProvider";
import { IcsFeedPanel } from "./IcsFeedPanel";

afterEach(cleanup);

/** The router's three feed routes, over one user's feed. */
function createFeedFetch() {
  let feed: { url: string; createdAt: string } | null = null;
  let made = 0;
  const requests: string[] = [];
  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const method = init?.method ?? "GET";
    requests.push(`${method} ${String(input)}`);
    if (method === "POST") {
      made += 1;
      feed = { url: `https://crm.test/api/agenda/ics/token-${made}`, createdAt: "2026-11-20T10:00:00.000Z" };
      return json(201, feed);
    }
    if (method === "DELETE") {
      feed = null;
      return json(204);
    }
    return json(200, { active: feed !== null, createdAt: feed?.createdAt ?? null });
  };
  return { fetch, requests };
}

describe("IcsFeedPanel", () => {
  it("makes the feed URL, shows it once, replaces and revokes it", async () => {
    const server = createFeedFetch();
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={server.fetch} timeZone="Europe/Paris">
        <IcsFeedPanel />
      </AgendaProvider>,
    );
    const create = await screen.findByRole<HTMLButtonElement>("button", { name: "Créer l’adresse" });
    // Enabled once the feed's state is known.
    await waitFor(() => expect(create.disabled).toBe(false));
    fireEvent.click(create);
    const url = await screen.findByRole<HTMLInputElement>("textbox", { name: "Abonnement iCalendar" });
    expect(url.value).toBe("https://crm.test/api/agenda/ics/token-1");
    expect(screen.getByText("Copiez-la maintenant : elle ne sera plus affichée.")).toBeTruthy();

    fireEvent.click(await screen.findByRole("button", { name: "Créer une nouvelle adresse" }));
    expect((await screen.findByDisplayValue("https://crm.test/api/agenda/ics/token-2")).tagName).toBe(
      "INPUT",
    );

    fireEvent.click(screen.getByRole("button", { name: "Révoquer" }));
    await screen.findByRole("button", { name: "Créer l’adresse" });
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(server.requests.filter((request) => !request.startsWith("GET"))).toEqual([
      "POST /api/agenda/ics/feed",
      "POST /api/agenda/ics/feed",
      "DELETE /api/agenda/ics/feed",
    ]);
  });
});
