import { z } from "zod";
import { ZApproveSchema, ZRejectSchema } from "@/server/cancellations/decide-approval";
import { ZCancellationRequestSchema } from "@/server/cancellations/cancellation-request.schema";
import { ZListCancellationsSchema } from "@/server/cancellations/get-cancellation";
import { ZWithdrawSchema } from "@/server/cancellations/withdraw-cancellation";
import { type ErrorCode, httpStatusFor } from "@/server/domain/errors";
import { ZImportOrderSchema } from "@/server/orders/import-order.schema";
import {
  ZCancellationAnswerSchema,
  ZCancellationListAnswerSchema,
  ZErrorAnswerSchema,
  ZImportAnswerSchema,
  ZOrderAnswerSchema,
  ZPreviewAnswerSchema,
} from "./answers.schema";

/*
 * SPEC §7's REST API as OpenAPI 3.1, generated from the zod schemas the routes parse with (request
 * bodies, query filters) and those of their answers (answers.schema.ts), by zod 4's own JSON Schema
 * output (JSON Schema 2020-12 is OpenAPI 3.1's dialect). Served at /api/v1/openapi.json; the docs
 * page /api/docs renders it; test/openapi.test.ts validates it and real answers against it.
 */

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const SCHEMAS: Record<string, JsonSchema> = {
  ImportOrderRequest: jsonSchema(ZImportOrderSchema, "input"),
  ImportOrderAnswer: jsonSchema(ZImportAnswerSchema, "output"),
  Order: jsonSchema(ZOrderAnswerSchema, "output"),
  CancellationRequest: jsonSchema(ZCancellationRequestSchema, "input"),
  Preview: jsonSchema(ZPreviewAnswerSchema, "output"),
  Cancellation: jsonSchema(ZCancellationAnswerSchema, "output"),
  CancellationList: jsonSchema(ZCancellationListAnswerSchema, "output"),
  ApproveRequest: jsonSchema(ZApproveSchema, "input"),
  RejectRequest: jsonSchema(ZRejectSchema, "input"),
  WithdrawRequest: jsonSchema(ZWithdrawSchema, "input"),
  Error: jsonSchema(ZErrorAnswerSchema, "output"),
};

// Every authenticated route can answer these; a write signed in by cookie also CSRF_REJECTED.
const AUTHENTICATED: ErrorCode[] = ["VALIDATION_FAILED", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED"];
const WITH_BODY: ErrorCode[] = ["CSRF_REJECTED", "PAYLOAD_TOO_LARGE"];

const rateHeaders = {
  "RateLimit-Limit": { description: "Requests allowed in the caller's window.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in it.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until it is full again.", schema: { type: "integer" } },
};

function errorResponses(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(httpStatusFor[code], [...(byStatus.get(httpStatusFor[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: `Error codes: ${list.join(", ")}.`,
          headers: status === 429 || list.includes("IDEMPOTENCY_KEY_IN_USE") ? { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } } : undefined,
          content: {
            "application/json": {
              schema: { allOf: [ref("Error"), { type: "object", properties: { error: { type: "object", properties: { code: { type: "string", enum: list } } } } }] },
            },
          },
        },
      ]),
  );
}

const json = (schema: JsonSchema, description: string, headers?: Record<string, unknown>) => ({
  description,
  headers: { ...rateHeaders, ...headers },
  content: { "application/json": { schema } },
});
const body = (name: string, required = true) => ({ required, content: { "application/json": { schema: ref(name) } } });
const pathParam = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "string", format: "uuid" } });
const ORDER_ID = pathParam("orderId", "The order's id (ours, from the import's answer).");
const CANCELLATION_ID = pathParam("cancellationId", "The cancellation's id.");
const SECURITY = [{ apiKey: [] }, { session: [] }];

function operation(o: { id: string; summary: string; scope: string; tag: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown>; errors: ErrorCode[] }) {
  return {
    operationId: o.id,
    summary: o.summary,
    description: `API keys need the \`${o.scope}\` scope.`,
    tags: [o.tag],
    security: SECURITY,
    parameters: o.parameters,
    requestBody: o.requestBody,
    responses: { ...o.responses, ...errorResponses([...AUTHENTICATED, ...(o.requestBody ? WITH_BODY : []), ...o.errors]) },
  };
}

const listQuery = jsonSchema(ZListCancellationsSchema, "input") as { properties: Record<string, JsonSchema> };

export function buildOpenApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Partial quantity cancellation — REST API",
      version: "1.0.0",
      description:
        "SPEC §7. Amounts are decimal strings in major units of the order's currency. Errors are `{\"error\": {\"code\", \"message\", \"details\"?}}` with the codes listed per answer. The same operations are offered over GraphQL at /api/graphql (SPEC §12).",
    },
    servers: [{ url: "/" }],
    tags: [{ name: "orders" }, { name: "cancellations" }, { name: "approvals" }, { name: "contract" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "`Authorization: Bearer <api key>`; keys carry scopes orders:read, orders:write, cancellations:write, cancellations:approve." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The browser session; a write must come from the app's own origin with a JSON content type." },
      },
      schemas: SCHEMAS,
    },
    paths: {
      "/api/v1/orders": {
        post: operation({
          id: "importOrder",
          summary: "Import an order from a channel",
          scope: "orders:write",
          tag: "orders",
          requestBody: body("ImportOrderRequest"),
          responses: { "201": json(ref("ImportOrderAnswer"), "Imported.") },
          errors: ["ORDER_ALREADY_EXISTS", "TENDER_REFERENCE_IN_USE"],
        }),
      },
      "/api/v1/orders/{orderId}": {
        get: operation({
          id: "getOrder",
          summary: "The order with each line's quantities and cancellable units",
          scope: "orders:read",
          tag: "orders",
          parameters: [ORDER_ID],
          responses: { "200": json(ref("Order"), "The order; PII and payment references masked per the caller's permissions.") },
          errors: ["NOT_FOUND"],
        }),
      },
      "/api/v1/orders/{orderId}/cancel-partial/preview": {
        post: operation({
          id: "previewCancellation",
          summary: "What a cancellation would refund, where the money goes, and whether approval is needed",
          scope: "orders:read",
          tag: "cancellations",
          parameters: [ORDER_ID],
          requestBody: body("CancellationRequest"),
          responses: { "200": json(ref("Preview"), "The preview; changes nothing.") },
          errors: ["NOT_FOUND", "QUANTITY_EXCEEDS_CANCELLABLE", "ORDER_NOT_CANCELLABLE", "INSUFFICIENT_REFUNDABLE", "OVERRIDE_FORBIDDEN", "OVERRIDE_NOT_APPLICABLE"],
        }),
      },
      "/api/v1/orders/{orderId}/cancel-partial": {
        post: operation({
          id: "submitCancellation",
          summary: "Cancel units of an order's lines (the seed's parallel arrays)",
          scope: "cancellations:write",
          tag: "cancellations",
          parameters: [
            ORDER_ID,
            {
              name: "Idempotency-Key",
              in: "header",
              required: true,
              description: "One new key per cancellation you mean to make. The same key with the same body answers the first answer again (with Idempotent-Replayed: true).",
              schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7e]+$" },
            },
            { name: "wait", in: "query", required: false, description: "Milliseconds to wait for the saga before answering (0: at once; at most 10000).", schema: { type: "integer", minimum: 0 } },
          ],
          requestBody: body("CancellationRequest"),
          responses: {
            "201": json(ref("Cancellation"), "Accepted: pending_approval, processing, or already completed.", {
              "Idempotent-Replayed": { description: "`true` when this is the replay of an earlier request with the same key.", schema: { type: "string", enum: ["true"] } },
            }),
          },
          errors: [
            "NOT_FOUND",
            "IDEMPOTENCY_KEY_REQUIRED",
            "IDEMPOTENCY_KEY_IN_USE",
            "IDEMPOTENCY_KEY_REUSED",
            "STALE_PREVIEW",
            "QUANTITY_EXCEEDS_CANCELLABLE",
            "ORDER_NOT_CANCELLABLE",
            "INSUFFICIENT_REFUNDABLE",
            "OVERRIDE_FORBIDDEN",
            "OVERRIDE_NOT_APPLICABLE",
          ],
        }),
      },
      "/api/v1/orders/{orderId}/cancellations": {
        get: operation({
          id: "listCancellations",
          summary: "An order's cancellations, newest first",
          scope: "orders:read",
          tag: "cancellations",
          parameters: [ORDER_ID, ...Object.entries(listQuery.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }))],
          responses: { "200": json(ref("CancellationList"), "The cancellations.") },
          errors: ["NOT_FOUND"],
        }),
      },
      "/api/v1/orders/{orderId}/cancellations/{cancellationId}": {
        get: operation({
          id: "getCancellation",
          summary: "A cancellation's status, refund details and timeline",
          scope: "orders:read",
          tag: "cancellations",
          parameters: [ORDER_ID, CANCELLATION_ID],
          responses: { "200": json(ref("Cancellation"), "The cancellation.") },
          errors: ["NOT_FOUND"],
        }),
      },
      "/api/v1/cancellations/{cancellationId}/approve": {
        post: operation({
          id: "approveCancellation",
          summary: "Approve a pending cancellation (never one you requested)",
          scope: "cancellations:approve",
          tag: "approvals",
          parameters: [CANCELLATION_ID],
          requestBody: body("ApproveRequest", false),
          responses: { "200": json(ref("Cancellation"), "Approved: the saga runs.") },
          errors: ["NOT_FOUND", "SELF_APPROVAL_FORBIDDEN", "MANAGER_LIMIT_EXCEEDED", "INVALID_STATE"],
        }),
      },
      "/api/v1/cancellations/{cancellationId}/reject": {
        post: operation({
          id: "rejectCancellation",
          summary: "Reject a pending cancellation, with a note",
          scope: "cancellations:approve",
          tag: "approvals",
          parameters: [CANCELLATION_ID],
          requestBody: body("RejectRequest"),
          responses: { "200": json(ref("Cancellation"), "Rejected: the held units are cancellable again.") },
          errors: ["NOT_FOUND", "SELF_APPROVAL_FORBIDDEN", "MANAGER_LIMIT_EXCEEDED", "INVALID_STATE"],
        }),
      },
      "/api/v1/cancellations/{cancellationId}/withdraw": {
        post: operation({
          id: "withdrawCancellation",
          summary: "Withdraw your own pending request (or any, as an admin)",
          scope: "cancellations:write",
          tag: "approvals",
          parameters: [CANCELLATION_ID],
          requestBody: body("WithdrawRequest", false),
          responses: { "200": json(ref("Cancellation"), "Withdrawn.") },
          errors: ["NOT_FOUND", "NOT_REQUESTER", "CANCELLATION_NOT_PENDING"],
        }),
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          summary: "This document",
          tags: ["contract"],
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
