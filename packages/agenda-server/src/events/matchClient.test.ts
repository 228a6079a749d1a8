import type { CrmClient } from "@crm-agenda/shared";
import { describe, expect, it } from "vitest";
import type { ClientDirectory } from "../options";
import { matchClient } from "./matchClient";

const session = { userId: "alice", tenantId: "acme", email: "alice@acme.test" };

function directory(clients: CrmClient[]): ClientDirectory & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async findByEmails(_tenantId, emails) {
      asked.push(emails);
      return clients.filter((client) => client.emails.some((email) => emails.includes(email.toLowerCase())));
    },
    async search() {
      return [];
    },
    async get() {
      return null;
    },
  };
}

describe("matchClient", () => {
  it("finds the client by an attendee's e-mail, whatever its case", async () => {
    const clients = directory([{ id: "c1", name: "Dupont SA", emails: ["marie@dupont.fr"] }]);
    const match = await matchClient(clients, session, [{ email: "Marie@Dupont.fr" }]);
    expect(match).toEqual({ clientId: "c1", clientName: "Dupont SA", method: "auto" });
  });

  it("leaves out the user and colleagues of the same domain", async () => {
    const clients = directory([{ id: "c1", name: "Dupont SA", emails: ["marie@dupont.fr"] }]);
    await matchClient(clients, session, [
      { email: "alice@acme.test" },
      { email: "carol@acme.test" },
      { email: "marie@dupont.fr" },
    ]);
    expect(clients.asked).toEqual([["marie@dupont.fr"]]);
  });

  it("does not ask the host when only colleagues attend", async () => {
    const clients = directory([]);
    const match = await matchClient(clients, session, [{ email: "carol@acme.test" }]);
    expect(match.method).toBe("none");
    expect(clients.asked).toEqual([]);
  });

  it("prefers the client that most attendees belong to", async () => {
    const clients = directory([
      { id: "c1", name: "Dupont SA", emails: ["marie@dupont.fr"] },
      { id: "c2", name: "Martin SARL", emails: ["paul@martin.fr", "lea@martin.fr"] },
    ]);
    const match = await matchClient(clients, session, [
      { email: "marie@dupont.fr" },
      { email: "paul@martin.fr" },
      { email: "lea@martin.fr" },
    ]);
    expect(match.clientId).toBe("c2");
  });
});
