import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import RelayPlugin from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { type ApiScope, type Actor, hasScope } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";

/** What every resolver gets: the caller, already authenticated by the route (server/graphql/handler.ts). */
export interface GraphqlContext {
  db: Db;
  actor: Actor;
}

/** SPEC §3: an amount as a decimal string in major units, with its currency; never a float. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

export const money = (amount: string, currency: string): MoneyValue => ({ amount, currency });

export const builder = new SchemaBuilder<{
  Context: GraphqlContext;
  Scalars: {
    Money: { Input: never; Output: MoneyValue };
    DateTime: { Input: string; Output: string };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  relay: { clientMutationId: "omit", cursorType: "String", nodeQueryOptions: false, nodesQueryOptions: false },
});

builder.scalarType("Money", {
  description: 'An amount as a decimal string in major units with its ISO 4217 currency, e.g. {"amount": "194.85", "currency": "USD"} (SPEC §3: never a float).',
  serialize: (value) => ({ amount: value.amount, currency: value.currency }),
  parseValue: () => {
    throw new GraphQLError("Money is an answer, never an argument.", { extensions: { code: ErrorCode.VALIDATION_FAILED } });
  },
});

builder.scalarType("DateTime", {
  description: "An instant as an ISO 8601 string in UTC.",
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
      throw new GraphQLError("A DateTime is an ISO 8601 string.", { extensions: { code: ErrorCode.VALIDATION_FAILED } });
    }
    return value;
  },
});

builder.queryType({});
builder.mutationType({});

/** The scope an API key needs for an operation (a browser session's role decides alone), as REST's restRoute checks it. */
export function requireScope(ctx: GraphqlContext, scope: ApiScope): void {
  if (!hasScope(ctx.actor, scope)) throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the ${scope} scope.`);
}
