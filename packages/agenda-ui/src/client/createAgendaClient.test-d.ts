// Checked by `tsc` (this file is in the package's tsconfig): the client's types follow the contract.
import type { CalendarEvent, EventList } from "@crm-agenda/shared";
import { expectTypeOf } from "vitest";
import { createAgendaClient } from "./createAgendaClient";

const client = createAgendaClient({ baseUrl: "/api/agenda" });

expectTypeOf(
  client.request("listEvents", { query: { from: "", to: "" } }),
).resolves.toEqualTypeOf<EventList>();
expectTypeOf(client.request("getEvent", { params: { id: "" } })).resolves.toEqualTypeOf<CalendarEvent>();
expectTypeOf(client.request("deleteEvent", { params: { id: "" } })).resolves.toEqualTypeOf<undefined>();
// Routes without inputs take no argument.
expectTypeOf(client.request("listConnections")).resolves.toHaveProperty("connections");

// @ts-expect-error the query is required
void client.request("listEvents");
// @ts-expect-error the body must be an event change
void client.request("updateEvent", { params: { id: "" }, body: { titel: "typo" } });
// @ts-expect-error getEvent takes no body
void client.request("getEvent", { params: { id: "" }, body: { title: "x" } });
