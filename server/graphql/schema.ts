import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder";
import "./enums";
import "./types/order";
import "./types/cancellation";
import "./types/preview";
import "./operations";

/** SPEC §12's schema, code first (Pothos); printSchema(graphqlSchema) is its SDL. */
export const graphqlSchema = lexicographicSortSchema(builder.toSchema());
