import { randomUUID } from "node:crypto";
import { exampleA, expect, overLimit, test } from "./fixtures";

// Issue 15 points 3 and 4: the timeline and the history speak in words — product names, money in
// the order's currency, tender labels, roles in words, the actor's name — and times in the
// viewer's time zone with the zone shown and the exact time on hover.
test.use({ timezoneId: "Europe/Berlin" });

const RAW = [/PARTIALLY_CANCELLED|\bCANCELLED\b/, /store_manager|customer_service_agent|system_admin/, /\d+\.\d\d (USD|EUR)/, /\bon T\d\b/];

test("a completed cancellation's timeline and history read in words, in the viewer's zone", async ({ agentPage: page, createOrder, request }) => {
  const { orderId, body } = await createOrder(exampleA);
  const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial?wait=5000`, {
    headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
    data: { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const { cancellationId } = (await submitted.json()) as { cancellationId: string };

  await page.goto(`/orders/${orderId}/cancellations/${cancellationId}`);
  await expect(page.getByTestId("cancellation-status")).toHaveText("Completed");
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Requested by Alex Agent (customer service agent) in the API");
  await expect(timeline).toContainText("The order is now partly cancelled");
  await expect(timeline).toContainText("Release the $194.85 hold on Visa •••• 4242");
  await expect(timeline).toContainText("2 × Oxford shirt, red, M released at");
  const text = await timeline.innerText();
  for (const raw of RAW) expect(text).not.toMatch(raw);
  // The Stripe PaymentIntent id of the tender is nowhere in the words.
  expect(text).not.toContain(body.tenders[0]!.providerReference);

  // Berlin in December is GMT+1; the hover carries the seconds and the zone's full name.
  const first = timeline.locator("time").first();
  await expect(first).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+1$/);
  await expect(first).toHaveAttribute("title", /:\d{2}:\d{2} [AP]M Central European Standard Time \(\d{4}-\d\d-\d\dT/);
  await expect(page.getByText(/ by Alex Agent$/)).toBeVisible();

  await page.goto(`/orders/${orderId}`);
  const history = page.locator(`[role="region"][aria-label="Cancellation history"]`);
  await expect(history).toContainText("2 × Oxford shirt, red, M");
  await expect(history).toContainText("by Alex Agent");
  await expect(history.locator("time").first()).toHaveText(/GMT\+1$/);
  // The order summary's "Placed" too (issue 15 point 4).
  const placed = page.locator('xpath=//dt[normalize-space()="Placed"]/following-sibling::dd[1]//time');
  await expect(placed).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+1$/);
  await expect(placed).toHaveAttribute("title", /Central European Standard Time/);
});

test("an approval request's timeline names the approver's role and the numbers, not store_manager: limit", async ({ agentPage: page, createOrder, request }) => {
  const { orderId } = await createOrder(overLimit);
  const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
    data: { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const { cancellationId } = (await submitted.json()) as { cancellationId: string };

  await page.goto(`/orders/${orderId}/cancellations/${cancellationId}`);
  await expect(page.getByTestId("cancellation-status")).toHaveText("Pending approval");
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Needs approval by a store manager: $800.00 is $300.00 over the customer service agent's $500.00 limit");
  const text = await timeline.innerText();
  for (const raw of RAW) expect(text).not.toMatch(raw);
});
