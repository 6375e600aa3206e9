import { exampleA, expect, test } from "./fixtures";

// Issue 16 point 2 over REST: the refund-rule overrides are a manager's (override_cancellation_rules);
// an agent gets 403 OVERRIDE_FORBIDDEN and nothing changes. The browser side (a manager's preview
// and timeline for refundShipping, no override offered to an agent) is in cancellation-truth.spec.ts.
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const lineB = { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

test("a manager cancels with no refund for an exchange: preview 0.00, units cancelled, timeline says so; an agent gets 403", async ({ request, createOrder }) => {
  const { orderId, body } = await createOrder(exampleA);

  const agentPreview = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, { headers: bearer("dev-agent-key"), data: { ...lineB, overrides: { noRefund: true } } });
  expect(agentPreview.status()).toBe(403);
  expect(((await agentPreview.json()) as { error: { code: string } }).error.code).toBe("OVERRIDE_FORBIDDEN");
  const agentSubmit = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer("dev-agent-key"), "Idempotency-Key": `ovr-agent-${body.externalId}` },
    data: { ...lineB, note: "exchange", overrides: { noRefund: true } },
  });
  expect(agentSubmit.status()).toBe(403);
  expect(((await agentSubmit.json()) as { error: { code: string } }).error.code).toBe("OVERRIDE_FORBIDDEN");
  const untouched = (await (await request.get(`/api/v1/orders/${orderId}`, { headers: bearer("dev-manager-key") })).json()) as { lines: { lineId: string; cancellable: number }[] };
  expect(untouched.lines.find((l) => l.lineId === "B")?.cancellable).toBe(1);

  const preview = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, { headers: bearer("dev-manager-key"), data: { ...lineB, overrides: { noRefund: true } } });
  expect(preview.status(), await preview.text()).toBe(200);
  expect(await preview.json()).toMatchObject({ totals: { total: "0.00" }, overrides: { noRefund: true, notRefunded: "48.71" } });

  const noNote = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer("dev-manager-key"), "Idempotency-Key": `ovr-nonote-${body.externalId}` },
    data: { ...lineB, overrides: { noRefund: true } },
  });
  expect(noNote.status()).toBe(400);

  const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer("dev-manager-key"), "Idempotency-Key": `ovr-${body.externalId}` },
    data: { ...lineB, note: "Exchanged for a blue scarf in store", overrides: { noRefund: true } },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const { cancellationId, refundAmount } = (await submitted.json()) as { cancellationId: string; refundAmount: string };
  expect(refundAmount).toBe("0.00");
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer("dev-manager-key") })).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("completed");
  const status = (await (await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer("dev-manager-key") })).json()) as { timeline: { detail: string }[] };
  expect(status.timeline.map((t) => t.detail).join("\n")).toContain("cancelled with no refund; $48.71 stays with the merchant");
  const after = (await (await request.get(`/api/v1/orders/${orderId}`, { headers: bearer("dev-manager-key") })).json()) as { lines: { lineId: string; cancellable: number; cancelled: number }[] };
  expect(after.lines.find((l) => l.lineId === "B")).toMatchObject({ cancellable: 0, cancelled: 1 });
});
