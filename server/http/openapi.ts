import { z } from "zod";
import { ZDeployBody, ZRollbackBody } from "./deploy-api";

const error = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), error]));
const bearer = [{ bearerAuth: [] }];
const stackParam = { name: "stack", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]{1,63}$" } };
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const accepted = {
  description: "Accepted: the job runs in the background",
  content: {
    "application/json": {
      schema: { type: "object", properties: { jobId: { type: "string" }, deploymentId: { type: "string" }, status: { type: "string" } } },
    },
  },
};

/** The REST API's OpenAPI 3.1 description, with request bodies generated from the same zod schemas. */
export function buildOpenApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "PixelFox Ops API",
      version: "1.0.0",
      description: "Deploy, roll back and follow jobs. Send `Authorization: Bearer <API token>`.",
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: { code: { type: "string" }, message: { type: "string" }, fieldErrors: { type: "object" } },
            },
          },
        },
        DeployBody: z.toJSONSchema(ZDeployBody, { io: "input" }),
        RollbackBody: z.toJSONSchema(ZRollbackBody, { io: "input" }),
      },
    },
    security: bearer,
    paths: {
      "/api/v1/stacks/{stack}/deployments": {
        post: {
          summary: "Deploy a tag (health-gated, zero downtime)",
          parameters: [stackParam],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/DeployBody" } } } },
          responses: { "202": accepted, ...errors(400, 401, 403, 404, 409, 412) },
        },
        get: {
          summary: "Deployment history, newest first",
          parameters: [stackParam],
          responses: { "200": { description: "History" }, ...errors(401, 404) },
        },
      },
      "/api/v1/stacks/{stack}/rollback": {
        post: {
          summary: "Roll back to the previous successful deployment, or to a chosen one",
          parameters: [stackParam],
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/RollbackBody" } } } },
          responses: { "202": accepted, ...errors(400, 401, 403, 404, 409, 412) },
        },
      },
      "/api/v1/jobs/{id}": {
        get: {
          summary: "A job with its status and steps",
          parameters: [idParam],
          responses: { "200": { description: "Job" }, ...errors(401, 404) },
        },
      },
      "/api/v1/jobs/{id}/cancel": {
        post: {
          summary: "Cancel a running job (its remote work stops and is cleaned up)",
          parameters: [idParam],
          responses: { "202": { description: "Cancel requested" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/v1/jobs/{id}/logs": {
        get: {
          summary: "The job's log as text, streamed until the job ends (?follow=0 for what is there now)",
          parameters: [idParam, { name: "follow", in: "query", schema: { type: "string", enum: ["0", "1"] } }],
          responses: { "200": { description: "text/plain log", content: { "text/plain": {} } }, ...errors(401, 404) },
        },
      },
    },
  };
}
