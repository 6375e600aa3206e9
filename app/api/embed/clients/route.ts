import { readJson } from "@/server/rest/handler";
import { embedAdminRoute } from "@/server/embed/embed-admin-route";
import { listEmbedClients } from "@/server/embed/list-embed-clients";
import { registerEmbedClient } from "@/server/embed/register-embed-client";

export const dynamic = "force-dynamic";

/** GET: the registered CRMs (never their secrets). */
export const GET = embedAdminRoute(async ({ db, actor }) => ({ status: 200, body: { clients: await listEmbedClients({ db, actor }) } }));

/** POST `{id, name, allowedOrigins}`: 201 with the client and its HMAC `secret`, shown this once. */
export const POST = embedAdminRoute(async ({ db, actor, req }) => ({ status: 201, body: await registerEmbedClient({ db, actor }, await readJson(req)) }));
