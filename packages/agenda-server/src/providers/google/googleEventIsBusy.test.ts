import { describe, expect, it } from "vitest";
import { googleEventIsBusy } from "./googleCalendar";

describe("googleEventIsBusy", () => {
  it("leaves free an invitation the user declined, and keeps busy one a guest declined", () => {
    const declined = {
      id: "a",
      attendees: [{ email: "alice@acme.test", self: true, responseStatus: "declined" }],
    };
    const guestDeclined = { id: "b", attendees: [{ email: "bob@client.test", responseStatus: "declined" }] };
    expect(googleEventIsBusy(declined)).toBe(false);
    expect(googleEventIsBusy(guestDeclined)).toBe(true);
  });

  it("counts out of office and focus time as busy, a working location never", () => {
    expect(googleEventIsBusy({ id: "o", eventType: "outOfOffice" })).toBe(true);
    expect(googleEventIsBusy({ id: "f", eventType: "focusTime" })).toBe(true);
    expect(googleEventIsBusy({ id: "w", eventType: "workingLocation" })).toBe(false);
  });
});
