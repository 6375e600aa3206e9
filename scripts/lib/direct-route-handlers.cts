// The route handlers scripts/lib/direct-routes.ts serves, loaded as CommonJS (.cts) as
// test/support/app-instance.cts loads them: next-auth, which the REST routes import, is CommonJS
// whose default exports Node's ESM loader would not unwrap (Next's bundle and Vitest do).
export { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
export { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
export { POST as importRoute } from "@/app/api/v1/orders/route";
export { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
export { GET as cancellationRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
