import AxeBuilder from "@axe-core/playwright";
import { exampleA, expect, INTEGRATION_KEY, test } from "./fixtures";

// Issue 15 point 2: "Why this amount?" shows the domain's own numbers, the same the REST preview answers.
const usd = (amount: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(amount as Intl.StringNumericLiteral);

interface Proration { remaining: string; units: number; of: number; unrounded: string | null; result: string }
interface ExplainedPreview {
  totals: { total: string };
  explanation: {
    lines: { orderLineId: string; orderDiscount: { share: string; total: string; lineValue: string; ordersValue: string }; merchandise: Proration; tax: Proration; refund: { merchandise: string; tax: string; total: string } }[];
    shipping: { reason: string; due: string; unitsLeft: number };
    tenders: { tenderId: string; operation: string; amount: string }[];
  };
}

test("SPEC example A, 2 of line A: the explanation reads 22.28 × 2/3 = 14.853… → 14.85 and its numbers are the REST preview's", async ({ agentPage: page, createOrder, request }) => {
  const { orderId } = await createOrder(exampleA);
  const rest = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, {
    headers: { Authorization: `Bearer ${INTEGRATION_KEY}` },
    data: { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
  });
  expect(rest.status(), await rest.text()).toBe(200);
  const answer = (await rest.json()) as ExplainedPreview;
  const x = answer.explanation.lines[0]!;

  await page.goto(`/orders/${orderId}`);
  await page.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("2");
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("preview-total")).toHaveText(usd(answer.totals.total));

  const why = page.getByTestId("explanation-A");
  // Keyboard only: the summary is a native disclosure button.
  await why.getByText("Why this amount?").focus();
  await page.keyboard.press("Enter");
  await expect(why.getByTestId("explanation-A-tax")).toBeVisible();

  // SPEC §3's worked example in words…
  await expect(why.getByTestId("explanation-A-tax")).toHaveText("Tax: $22.28 × 2/3 = 14.853… → $14.85 (rounded half up to 0.01)");
  await expect(why.getByTestId("explanation-A-merchandise")).toHaveText("Merchandise: $270.00 × 2/3 = $180.00");
  await expect(why.getByTestId("explanation-A-order-discount")).toContainText("SPRING35 ($35.00)");
  await expect(why.getByTestId("explanation-A-order-discount")).toContainText("$35.00 × $300.00 / $350.00 = $30.00 for this line");
  // …and each number is the REST preview's.
  await expect(why.getByTestId("explanation-A-tax")).toHaveText(`Tax: ${usd(x.tax.remaining)} × ${x.tax.units}/${x.tax.of} = ${x.tax.unrounded}… → ${usd(x.tax.result)} (rounded half up to 0.01)`);
  await expect(why.getByTestId("explanation-A-merchandise")).toHaveText(`Merchandise: ${usd(x.merchandise.remaining)} × ${x.merchandise.units}/${x.merchandise.of} = ${usd(x.merchandise.result)}`);
  await expect(why.getByTestId("explanation-A-order-discount")).toContainText(`${usd(x.orderDiscount.total)} × ${usd(x.orderDiscount.lineValue)} / ${usd(x.orderDiscount.ordersValue)} = ${usd(x.orderDiscount.share)}`);
  await expect(why.getByTestId("explanation-A-total")).toHaveText(`Line refund: ${usd(x.refund.merchandise)} + ${usd(x.refund.tax)} tax = ${usd(x.refund.total)} ($200.00 at full price, $20.00 of it discounted).`);
  expect(x.refund.total).toBe(answer.totals.total);

  const money = page.getByTestId("explanation-money");
  await money.getByText("Why shipping and these payments?").click();
  expect(answer.explanation.shipping).toMatchObject({ reason: "units_left", due: "10.00", unitsLeft: 2 });
  await expect(money.getByTestId("explanation-shipping")).toHaveText(
    `Shipping (${usd(answer.explanation.shipping.due)}) is refunded only with the cancellation that leaves no unit uncancelled; 2 units stay on the order.`,
  );
  expect(answer.explanation.tenders).toEqual([expect.objectContaining({ tenderId: "T1", operation: "reversal", amount: "194.85" })]);
  await expect(money.getByTestId("explanation-tender")).toHaveText(/^Visa •••• 4242: reversal of \$194\.85\. The money was only authorized \(\$300\.99 authorized, \$0\.00 charged\)/);

  const results = await new AxeBuilder({ page }).include('[data-testid="explanation-A"]').include('[data-testid="explanation-money"]').analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});

test("the last units of A take the exact remainder and the explanation says so, on a 360 px phone", async ({ agentPage: page, createOrder }) => {
  const { orderId } = await createOrder(exampleA);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(`/orders/${orderId}`);
  await page.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("3");
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("preview-total")).toHaveText("$292.28");
  const why = page.getByTestId("explanation-A");
  await why.getByText("Why this amount?").click();
  await expect(why.getByTestId("explanation-A-tax")).toHaveText("Tax: these are the line's last 3 units, so they take exactly what is left, $22.28 (no rounding: the line refunds exactly what was paid).");
});
