import { readJson } from "@/server/rest/handler";
import { embedAdminRoute } from "@/server/embed/embed-admin-route";
import { updateEmbedClient } from "@/server/embed/update-embed-client";

export const dynamic = "force-dynamic";

/** PATCH `{name?, allowedOrigins?, active?, rotateSecret?: true}`; a rotated secret is in the answer. */
export const PATCH = embedAdminRoute(async ({ db, actor, req, params }) => ({ status: 200, body: await updateEmbedClient({ db, actor }, params.clientId ?? "", await readJson(req)) }));
