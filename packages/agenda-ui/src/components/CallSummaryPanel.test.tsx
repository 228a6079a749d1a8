// @vitest-environment jsdom
import type { EventSummary } from "@crm-agenda/shared";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeSummaryFetch, type FakeSummaryOptions } from "../_internal/createFakeSummaryFetch";
import { languageProps } from "../_internal/languageProps";
import { AgendaProvider } from "../AgendaProvider";
import { CallSummaryPanel } from "./CallSummaryPanel";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const eventId = "2b7d9c1e-3f4a-4b5c-8d6e-7f8091a2b3c4";

function summaryWith(fields: Partial<EventSummary>): EventSummary {
  return {
    eventId,
    status: "none",
    summary: null,
    error: null,
    transcriptUrl: null,
    language: "fr",
    durationSeconds: 2_520,
    participants: [{ name: "Camille Martin" }, { name: "Jean Dupont", email: "jean@dupont.fr" }],
    updatedAt: "2026-11-25T10:05:00.000Z",
    ...fields,
  };
}

const ready = summaryWith({
  status: "ready",
  transcriptUrl: "https://docs.google.com/document/d/1AbCdEf/edit",
  summary: {
    executiveSummary: "Dupont SA accepte la remise de 8 % et signe avant le 15 décembre.",
    keyPoints: [{ text: "Le budget 2027 est validé", at: "00:12:31" }],
    decisions: [{ text: "Remise de 8 % sur trois ans", at: "00:31:05" }],
    actionItems: [
      { text: "Envoyer le contrat révisé", owner: "Camille", due: "2026-12-03", at: "01:02:05" },
      { text: "Planifier la formation" },
    ],
  },
});

function renderPanel(options: FakeSummaryOptions, locale: "fr" | "en" = "fr", copiedFor?: number) {
  const server = createFakeSummaryFetch(options);
  render(
    <AgendaProvider
      baseUrl="/api/agenda"
      fetch={server.fetch}
      {...languageProps(locale)}
      timeZone="Europe/Paris"
    >
      <CallSummaryPanel eventId={eventId} copiedFor={copiedFor} />
    </AgendaProvider>,
  );
  return server;
}

function panel(): HTMLElement {
  return screen.getByRole("region", { name: "Résumé de l’appel" });
}

describe("CallSummaryPanel", () => {
  it("streams the progress and the summary's text as it is written, then shows the stored summary", async () => {
    const server = renderPanel({ summaries: { [eventId]: summaryWith({ status: "in_progress" }) } });
    const stream = await server.nextStream();
    await waitFor(() => expect(panel().dataset.status).toBe("in_progress"));

    act(() => stream.send({ type: "progress", stage: 1, step: 3, of: 7 }));
    const progress = await screen.findByText("Analyse de l’extrait 3 sur 7");
    expect(progress.getAttribute("aria-live")).toBe("polite");

    act(() => {
      stream.keepAlive();
      stream.send({ type: "progress", stage: 2, step: 1, of: 1 });
      stream.send({ type: "token", token: '```json\n{"executiveSummary": "Dupont SA acc' });
    });
    await screen.findByText("Rédaction du résumé");
    const live = await screen.findByLabelText("Résumé en cours de rédaction");
    await waitFor(() => expect(live.textContent).toBe("Dupont SA acc"));
    expect(live.getAttribute("aria-live")).toBe("polite");

    // A repair request starts the text over.
    act(() => stream.send({ type: "reset" }));
    await waitFor(() => expect(live.textContent).toBe(""));
    act(() => {
      stream.send({ type: "token", token: '{"executiveSummary":"Dupont SA accepte' });
      stream.send({ type: "token", token: ' la remise.","keyPoints":[' });
    });
    await waitFor(() => expect(live.textContent).toBe("Dupont SA accepte la remise."));

    act(() => {
      stream.send({ type: "summary", summary: ready });
      stream.close();
    });
    expect(await screen.findByText(/accepte la remise de 8 %/)).toBeTruthy();
    expect(panel().dataset.status).toBe("ready");
    const keyPoints = screen.getByRole("list", { name: "Points clés" });
    expect(keyPoints.textContent).toContain("Le budget 2027 est validé");
    expect(within(keyPoints).getByTitle("À 12:31 dans l’appel").textContent).toContain("12:31");
    expect(screen.getByRole("list", { name: "Décisions" }).textContent).toContain("31:05");
    const actions = within(screen.getByRole("list", { name: "Actions à mener" })).getAllByRole("listitem");
    expect(actions[0]?.textContent).toContain("Responsable : Camille, échéance le 3 décembre 2026");
    expect(actions[0]?.textContent).toContain("1:02:05");
    expect(actions[1]?.textContent).toBe("Planifier la formation");
    expect(screen.getByText("Appel de 42 min · Participants : Camille Martin, Jean Dupont")).toBeTruthy();
    const transcript = screen.getByRole("link", { name: "Voir la transcription" });
    expect(transcript.getAttribute("href")).toBe("https://docs.google.com/document/d/1AbCdEf/edit");
    expect(transcript.getAttribute("rel")).toBe("noopener noreferrer");
    // The last summary ends the stream: no reconnection.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests.filter((request) => request.endsWith("/summary/stream"))).toHaveLength(1);
  });

  it("says calmly that the AI service is awaited and will be tried again, then follows the summary once it starts", async () => {
    const server = renderPanel({ summaries: { [eventId]: summaryWith({ status: "waiting_for_ai" }) } });
    const stream = await server.nextStream();

    const status = await screen.findByRole("status");
    expect(status.textContent).toContain("La transcription est reçue ; le service de résumé est attendu.");
    expect(status.textContent).toContain("Un nouvel essai aura lieu automatiquement");
    expect(screen.queryByRole("alert")).toBeNull();

    act(() => {
      stream.send({ type: "summary", summary: summaryWith({ status: "in_progress" }) });
      stream.send({ type: "progress", stage: 1, step: 1, of: 4 });
    });
    expect(await screen.findByText("Analyse de l’extrait 1 sur 4")).toBeTruthy();
    expect(panel().dataset.status).toBe("in_progress");
  });

  it("says why a summary failed and retries it on request, following the new one", async () => {
    const server = renderPanel({
      summaries: {
        [eventId]: summaryWith({
          status: "failed",
          error: "Le service de résumé a répondu un texte illisible deux fois de suite.",
        }),
      },
    });

    expect(await screen.findByText("Le résumé n’a pas pu être rédigé.")).toBeTruthy();
    expect(
      screen.getByText("Motif : Le service de résumé a répondu un texte illisible deux fois de suite."),
    ).toBeTruthy();
    expect(server.streams).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Relancer le résumé" }));

    const stream = await server.nextStream();
    expect(server.requests).toContain(`POST /api/agenda/events/${eventId}/summary/regenerate`);
    await waitFor(() => expect(panel().dataset.status).toBe("pending"));
    expect(panel().textContent).toContain("L’appel est terminé ; la transcription est attendue.");
    expect(stream.eventId).toBe(eventId);
  });

  it("explains a refused retry when the call has no transcript", async () => {
    renderPanel({
      summaries: { [eventId]: summaryWith({ status: "failed", error: "Transcription introuvable." }) },
      regenerateFailure: {
        status: 409,
        body: { error: { code: "conflict", message: "No transcript for this call" } },
      },
    });

    fireEvent.click(await screen.findByRole("button", { name: "Relancer le résumé" }));

    expect((await screen.findByRole("alert")).textContent).toBe(
      "Le résumé n’a pas pu être relancé. Aucune transcription n’est disponible pour cet appel, ou un résumé est déjà en cours de rédaction.",
    );
    expect(panel().dataset.status).toBe("failed");
  });

  it("copies the summary as Markdown and confirms it for a moment", async () => {
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    renderPanel({ summaries: { [eventId]: ready } }, "fr", 50);

    fireEvent.click(await screen.findByRole("button", { name: "Copier" }));

    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Résumé copié"));
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText.mock.calls[0]?.[0]).toBe(
      [
        "## Résumé de l’appel",
        "",
        "Dupont SA accepte la remise de 8 % et signe avant le 15 décembre.",
        "",
        "### Points clés",
        "",
        "- Le budget 2027 est validé (12:31)",
        "",
        "### Décisions",
        "",
        "- Remise de 8 % sur trois ans (31:05)",
        "",
        "### Actions à mener",
        "",
        "- Envoyer le contrat révisé — Responsable : Camille, échéance le 3 décembre 2026 (1:02:05)",
        "- Planifier la formation",
        "",
        "[Voir la transcription](https://docs.google.com/document/d/1AbCdEf/edit)",
        "",
      ].join("\n"),
    );
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe(""));
  });

  it("says so when the clipboard refuses", async () => {
    vi.stubGlobal("navigator", {
      ...navigator,
      clipboard: { writeText: async () => Promise.reject(new DOMException("denied", "NotAllowedError")) },
    });
    renderPanel({ summaries: { [eventId]: ready } });

    fireEvent.click(await screen.findByRole("button", { name: "Copier" }));

    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe(
        "La copie a échoué ; sélectionnez le texte pour le copier.",
      ),
    );
  });

  it("asks for confirmation before writing a ready summary again", async () => {
    const server = renderPanel({ summaries: { [eventId]: ready } });
    const regenerate = await screen.findByRole("button", { name: "Réécrire le résumé" });

    fireEvent.click(regenerate);
    expect(regenerate.textContent).toBe("Confirmer : remplacer ce résumé");
    expect(server.requests.some((request) => request.startsWith("POST"))).toBe(false);

    fireEvent.click(regenerate);
    await server.nextStream();
    expect(server.requests).toContain(`POST /api/agenda/events/${eventId}/summary/regenerate`);
    await waitFor(() => expect(panel().dataset.status).toBe("pending"));
  });

  it("says there is nothing to summarize for an event without a call, in English too", async () => {
    const server = renderPanel({}, "en");
    const region = await screen.findByRole("region", { name: "Call summary" });
    await waitFor(() => expect(region.dataset.status).toBe("none"));
    expect(region.textContent).toContain("No call was recorded for this event.");
    expect(server.streams).toHaveLength(0);
  });

  it("shows an error with Retry when the summary cannot be loaded", async () => {
    const failing: typeof globalThis.fetch = async () =>
      new Response(JSON.stringify({ error: { code: "forbidden", message: "Not your event" } }), {
        status: 403,
        headers: { "content-type": "application/json" },
      });
    render(
      <AgendaProvider baseUrl="/api/agenda" fetch={failing}>
        <CallSummaryPanel eventId={eventId} />
      </AgendaProvider>,
    );
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Le résumé n’a pas pu être chargé. Vous n’avez pas accès à cet agenda.",
    );
    expect(screen.getByRole("button", { name: "Réessayer" })).toBeTruthy();
  });
});
