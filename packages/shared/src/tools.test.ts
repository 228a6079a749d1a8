import { describe, expect, it } from "vitest";
import { anthropicTools, bookAppointmentTool, checkAvailabilityTool, openAiTools } from "./tools";

describe("assistant tools", () => {
  it("describe check_availability's arguments from the query schema", () => {
    expect(checkAvailabilityTool.parameters).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["from", "to", "duration"]),
      properties: { from: { type: "string", format: "date-time" }, duration: { type: "integer" } },
    });
    expect(checkAvailabilityTool.parameters).not.toHaveProperty("$schema");
  });

  it("leave book_appointment's defaulted fields optional for the assistant", () => {
    const parameters = bookAppointmentTool.parameters as { required: string[]; properties: object };
    expect(parameters.required).toEqual(["start", "duration"]);
    expect(parameters.properties).toHaveProperty("conference.enum", ["none", "zoom", "meet"]);
    expect(parameters.properties).toHaveProperty("client.properties.email.format", "email");
  });

  it("come in the OpenAI and Anthropic shapes", () => {
    expect(openAiTools()[0]).toEqual({
      type: "function",
      function: {
        name: "check_availability",
        description: checkAvailabilityTool.description,
        parameters: checkAvailabilityTool.parameters,
      },
    });
    expect(anthropicTools()[1]).toEqual({
      name: "book_appointment",
      description: bookAppointmentTool.description,
      input_schema: bookAppointmentTool.parameters,
    });
  });
});
