import { contract, errorBodySchema, type RouteDefinition } from "@crm-agenda/shared";
import type { z } from "zod";
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from "zod-openapi";

const errorResponses = {
  400: "The input does not match its schema; details name each field",
  401: "No signed-in user",
  404: "Not found in the signed-in user's agenda",
  413: "The body is larger than the limit",
  500: "An error on the agenda's side",
} as const;

/** The contract as an OpenAPI 3.1 document, generated from the very Zod schemas the router validates with. */
export function createOpenApiDocument(options: { version: string; serverUrl?: string }): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, route] of Object.entries(contract) as [string, RouteDefinition][]) {
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const operation: ZodOpenApiOperationObject = {
      operationId: name,
      summary: route.summary,
      tags: [route.tag],
      ...(route.public ? { security: [] } : {}),
      requestParams: {
        ...(route.params && { path: route.params }),
        ...(route.query && { query: route.query as z.ZodObject }),
      },
      ...(route.body && {
        requestBody: { required: true, content: { "application/json": { schema: route.body } } },
      }),
      ...(route.rawBody && {
        requestBody: {
          required: true,
          description: route.rawBody.description,
          content: { [route.rawBody.contentType]: {} },
        },
      }),
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...((response.schema || response.contentType) && {
                content: {
                  [response.contentType ?? "application/json"]: response.schema
                    ? { schema: response.schema }
                    : {},
                },
              }),
            },
          ]),
        ),
        ...Object.fromEntries(
          Object.entries(errorResponses)
            .filter(([status]) => !(status in route.responses))
            .map(([status, description]) => [
              status,
              { description, content: { "application/json": { schema: errorBodySchema } } },
            ]),
        ),
      },
    };
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "crm-agenda",
      version: options.version,
      description:
        "The agenda router's HTTP contract. Paths are relative to where the host mounts the router.",
    },
    ...(options.serverUrl && { servers: [{ url: options.serverUrl }] }),
    components: {
      securitySchemes: {
        hostSession: {
          type: "apiKey",
          in: "cookie",
          name: "session",
          description: "The host CRM's own session",
        },
      },
    },
    security: [{ hostSession: [] }],
    paths,
  });
}
