// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AvailabilityForm, type AvailabilityFormValue } from "./AvailabilityForm";
import { englishBookingMessages, frenchBookingMessages } from "./bookingMessages";

afterEach(cleanup);

const weekdaysNineToFive: AvailabilityFormValue = {
  timeZone: "Europe/Paris",
  workingHours: {
    monday: [{ start: "09:00", end: "17:00" }],
    tuesday: [{ start: "09:00", end: "17:00" }],
    wednesday: [{ start: "09:00", end: "17:00" }],
    thursday: [
      { start: "09:00", end: "12:00" },
      { start: "14:00", end: "18:00" },
    ],
    friday: [{ start: "09:00", end: "17:00" }],
    saturday: [],
    sunday: [],
  },
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 120,
  dailyCap: null,
};

describe("AvailabilityForm", () => {
  it("edits working hours per weekday, buffers, notice and cap, and saves them together", async () => {
    const saved: AvailabilityFormValue[] = [];
    render(
      <AvailabilityForm
        value={weekdaysNineToFive}
        locale="en"
        messages={englishBookingMessages}
        onSave={async (value) => {
          saved.push(value);
        }}
      />,
    );
    const saturday = screen.getByRole("group", { name: "Saturday" });
    expect(within(saturday).getByText("Saturday: day off")).toBeTruthy();
    fireEvent.click(within(saturday).getByRole("checkbox", { name: "Saturday" }));
    fireEvent.change(within(saturday).getByLabelText("To"), { target: { value: "12:00" } });
    fireEvent.click(within(screen.getByRole("group", { name: "Friday" })).getByRole("checkbox"));
    fireEvent.change(screen.getByLabelText("Buffer after (minutes)"), { target: { value: "15" } });
    fireEvent.change(screen.getByLabelText("Most appointments a day"), { target: { value: "4" } });
    fireEvent.change(screen.getByLabelText("Time zone"), { target: { value: "America/Toronto" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByText("Saved")).getAttribute("role")).toBe("status");
    expect(saved).toEqual([
      {
        ...weekdaysNineToFive,
        timeZone: "America/Toronto",
        workingHours: {
          ...weekdaysNineToFive.workingHours,
          friday: [],
          saturday: [{ start: "09:00", end: "12:00" }],
        },
        bufferAfterMinutes: 15,
        dailyCap: 4,
      },
    ]);
  });

  it("names the weekdays in French, Monday first", () => {
    render(
      <AvailabilityForm
        value={weekdaysNineToFive}
        locale="fr"
        messages={frenchBookingMessages}
        onSave={async () => {}}
      />,
    );
    const days = screen
      .getAllByRole("group")
      .map((group) => group.getAttribute("aria-label"))
      .filter(Boolean);
    expect(days).toEqual(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]);
  });
});
