import { afterImport } from "@/server/orders/after-import";
import { importOrder } from "@/server/orders/import-order";
import { readJson, restRoute } from "@/server/rest/handler";

export const POST = restRoute("orders:write", async ({ db, actor, req }) => {
  const body = await readJson(req);
  return { status: 201, body: await importOrder({ db, actor, afterImport: afterImport() }, body) };
});
