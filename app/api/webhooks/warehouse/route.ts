import { handleWarehouseWebhook } from "@/server/inventory/warehouse-webhook";
import { observedRoute } from "@/server/observability/observed-route";

export const POST = observedRoute(handleWarehouseWebhook, "/api/webhooks/warehouse");
