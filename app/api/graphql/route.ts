import { handleGraphqlRequest } from "@/server/graphql/handler";

// SPEC §12: GraphQL over the same use-cases as REST and tRPC.
const handler = (req: Request) => handleGraphqlRequest(req);

export { handler as GET, handler as POST, handler as OPTIONS };
