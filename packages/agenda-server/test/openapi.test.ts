import { contract } from "@crm-agenda/shared";
import { Validator } from "@seriousme/openapi-schema-validator";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgenda } from "./startTestAgenda";

let agenda: Awaited<ReturnType<typeof startTestAgenda>>;
beforeAll(async () => {
  agenda = await startTestAgenda();
});
afterAll(async () => {
  await agenda.stop();
});

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const response = await agenda.call(null, "GET", "/openapi.json");
    expect(response.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(response.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(response.body.openapi).toBe("3.1.0");
  });

  it("lists every route of the contract with its method", async () => {
    const document = (await agenda.call(null, "GET", "/openapi.json")).body;
    for (const [name, route] of Object.entries(contract)) {
      const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(document.paths[path]?.[route.method]?.operationId, `${route.method} ${route.path}`).toBe(name);
    }
    expect(Object.values(document.paths).flatMap((item) => Object.keys(item as object))).toHaveLength(
      Object.keys(contract).length,
    );
  });

  it("describes bodies and errors from the shared schemas", async () => {
    const document = (await agenda.call(null, "GET", "/openapi.json")).body;
    const create = document.paths["/events"].post;
    expect(create.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/CreateEventInput",
    );
    expect(create.responses["400"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Error",
    );
    expect(document.components.schemas.CalendarEvent.properties.timeZone.description).toMatch(/IANA/);
  });
});

describe("a host that parses JSON before the router", () => {
  it("still validates and stores the event", async () => {
    const host = await startTestAgenda({ beforeRouter: (app) => app.use(express.json()) });
    try {
      const created = await host.call("alice", "POST", "/events", {
        title: "Appel",
        start: "2026-11-24T09:00:00Z",
        end: "2026-11-24T09:30:00Z",
        timeZone: "Europe/Paris",
      });
      expect(created.status).toBe(201);
      const invalid = await host.call("alice", "POST", "/events", { title: "Appel" });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe("validation_failed");
    } finally {
      await host.stop();
    }
  });
});
