// @vitest-environment jsdom
import { type AvailabilitySettings, type BookingType, defaultAvailabilitySettings } from "@crm-agenda/shared";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AvailabilitySettingsPanel } from "./AvailabilitySettingsPanel";
import { parseQuestions } from "./BookingTypesPanel";

afterEach(cleanup);

function fakeOwnerServer() {
  const types: BookingType[] = [];
  const bodies: unknown[] = [];
  let settings: AvailabilitySettings = defaultAvailabilitySettings;
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    if (url === "/api/agenda/booking-types" && init?.method === "POST") {
      const body = JSON.parse(String(init.body));
      bodies.push(body);
      types.push({
        id: "7d3c6f0e-8b1a-4c2d-9e3f-1a2b3c4d5e6f",
        description: null,
        conference: null,
        questions: [],
        ...body,
        linkToken: `token${types.length}abcdefghijklmnopqrstuvwxyz`,
        createdAt: "2026-12-01T07:00:00.000Z",
        updatedAt: "2026-12-01T07:00:00.000Z",
      });
      return json(201, types.at(-1));
    }
    if (url === "/api/agenda/booking-types") return json(200, { bookingTypes: types });
    if (url === "/api/agenda/availability/settings" && init?.method === "PUT") {
      settings = JSON.parse(String(init.body));
      return json(200, settings);
    }
    if (url === "/api/agenda/availability/settings") return json(200, settings);
    return json(404, { error: { code: "not_found", message: "no such route" } });
  };
  return { fetch, bodies, settings: () => settings };
}

describe("AvailabilitySettingsPanel", () => {
  it("loads the user's availability settings and saves them", async () => {
    const server = fakeOwnerServer();
    render(<AvailabilitySettingsPanel baseUrl="/api/agenda" locale="en" fetch={server.fetch} />);
    const notice = await screen.findByLabelText("Minimum notice (minutes)");
    fireEvent.change(notice, { target: { value: "240" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved")).toBeTruthy();
    expect(server.settings()).toEqual({ ...defaultAvailabilitySettings, minimumNoticeMinutes: 240 });
  });

  it("adds a booking type and shows its public link to copy", async () => {
    const server = fakeOwnerServer();
    render(
      <AvailabilitySettingsPanel
        baseUrl="/api/agenda"
        locale="en"
        fetch={server.fetch}
        bookingUrl={(token) => `https://crm.example/book/${token}`}
      />,
    );
    expect(await screen.findByText("No booking type yet.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Discovery call" } });
    fireEvent.change(screen.getByLabelText("Length (minutes)"), { target: { value: "45" } });
    fireEvent.change(screen.getByLabelText("Video call"), { target: { value: "meet" } });
    fireEvent.change(screen.getByLabelText("Questions to ask"), { target: { value: "Company *\nBudget" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    const link = (await screen.findByLabelText("Public link of “Discovery call”")) as HTMLInputElement;
    expect(link.value).toBe("https://crm.example/book/token0abcdefghijklmnopqrstuvwxyz");
    expect(server.bodies[0]).toEqual({
      title: "Discovery call",
      durationMinutes: 45,
      conference: { provider: "meet" },
      questions: [
        { id: "q1", label: "Company", required: true },
        { id: "q2", label: "Budget", required: false },
      ],
    });
  });

  it("reads one question a line, a trailing star making it required", () => {
    expect(parseQuestions("  \nSujet*\n\n Budget ")).toEqual([
      { id: "q1", label: "Sujet", required: true },
      { id: "q2", label: "Budget", required: false },
    ]);
  });
});
