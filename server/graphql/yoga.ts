import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { type ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { toAppError } from "@/server/http/errors";
import { ErrorCode, httpStatusFor } from "@/server/domain/errors";
import type { GraphqlContext } from "./builder";
import { graphqlSchema } from "./schema";

/*
 * The limits an operation must keep before it runs (refused with QUERY_TOO_COMPLEX, changing
 * nothing). The deepest useful query, orders → edges → node → cancellations → items → item →
 * unitPrice, is 7 levels; a page of 50 orders with their cancellations' items and totals costs
 * about 1,500.
 */
export const GRAPHQL_LIMITS = { maxDepth: 10, maxCost: 5_000 } as const;
const TOO_DEEP = `The operation nests deeper than ${GRAPHQL_LIMITS.maxDepth} levels.`;
const TOO_COSTLY = `The operation costs more than ${GRAPHQL_LIMITS.maxCost} (objects 2, fields 1, deeper levels cost more).`;

/** An error from a resolver → the error model's code in `extensions.code` (and its details, e.g. STALE_PREVIEW's fresh preview). */
function maskError(error: unknown): Error {
  const located = error instanceof GraphQLError ? error : null;
  const original = located ? located.originalError : error;
  if (located && !original) return located;
  // graphql-js refusing a variable's value (an Int that is 1.5 or over 2^31, a string for an Int …)
  // throws its own GraphQLError from the scalar's parser: a bad input, not a fault of ours.
  if (located && original instanceof GraphQLError) return new GraphQLError(located.message, { nodes: located.nodes, path: located.path, extensions: { code: ErrorCode.VALIDATION_FAILED } });
  const app = toAppError(original);
  if (app.code === ErrorCode.INTERNAL) console.error(original);
  return new GraphQLError(app.message, {
    nodes: located?.nodes,
    path: located?.path,
    extensions: app.details === undefined ? { code: app.code } : { code: app.code, details: app.details },
  });
}

/** Errors the server raised before running anything (syntax, validation, limits, HTTP): a code from the error model too. */
function protocolCode(error: GraphQLError): ErrorCode {
  if (error.message.includes(TOO_DEEP) || error.message.includes(TOO_COSTLY)) return ErrorCode.QUERY_TOO_COMPLEX;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (status === 405) return ErrorCode.METHOD_NOT_ALLOWED;
  if (status === 413) return ErrorCode.PAYLOAD_TOO_LARGE;
  return ErrorCode.VALIDATION_FAILED;
}

function withCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) =>
    typeof e.extensions?.code === "string" && Object.hasOwn(httpStatusFor, e.extensions.code) ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions: { ...e.extensions, code: protocolCode(e) } }),
  );
  return { ...result, errors };
}

const errorCodes: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result)) setResult(result.map(withCodes));
    else if (!(Symbol.asyncIterator in (result as object))) setResult(withCodes(result as ExecutionResult));
  },
};

/** Introspection is for development (SPEC §12 via issue 19): in production the schema is not listed. */
const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

export function createGraphqlYoga(opts: { development: boolean }) {
  return createYoga<GraphqlContext>({
    schema: graphqlSchema,
    graphqlEndpoint: "/api/graphql",
    graphiql: opts.development,
    landingPage: false,
    // Refusals are answers, not faults: maskError logs what is INTERNAL, once.
    logging: false,
    fetchAPI: { Response },
    maskedErrors: { maskError },
    plugins: [
      maxDepthPlugin({ n: GRAPHQL_LIMITS.maxDepth, exposeLimits: false, errorMessage: TOO_DEEP }),
      costLimitPlugin({ maxCost: GRAPHQL_LIMITS.maxCost, exposeLimits: false, errorMessage: TOO_COSTLY }),
      ...(opts.development ? [] : [noIntrospection]),
      errorCodes,
    ],
  });
}

export type GraphqlYoga = ReturnType<typeof createGraphqlYoga>;
