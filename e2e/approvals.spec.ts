import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { adminCode, signInThroughForm } from "./helpers";

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let counter = 0;
function uniqueId(workerIndex: number) {
  return `${Date.now().toString(36)}${workerIndex}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}

/** One line, `quantity` × `unitPrice`, paid by a Stripe authorization; its own customer, so velocity never counts. */
async function importOrder(request: APIRequestContext, unique: string, opts: { currency?: string; storeId?: string; quantity?: number; unitPrice?: string } = {}) {
  const quantity = opts.quantity ?? 2;
  const unitPrice = opts.unitPrice ?? "400.00";
  const total = (Number(unitPrice) * quantity).toFixed(2);
  const body = {
    channel: "web",
    externalId: `E2E-APR-${unique}`,
    storeId: opts.storeId ?? "STORE-001",
    currency: opts.currency ?? "USD",
    customer: { id: `CUST-APR-${unique}`, name: `Grace Hopper ${unique}`, email: `grace.apr.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "TV-55-OLED", description: "OLED television, 55 inch", quantity, unitPrice, discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_apr_${unique.toLowerCase()}`, authorized: total, captured: "0.00", brand: "visa", last4: "4242" }],
  };
  const response = await request.post("/api/v1/orders", { headers: bearer("dev-integration-key"), data: body });
  expect(response.status(), await response.text()).toBe(201);
  return { orderId: ((await response.json()) as { orderId: string }).orderId, externalId: body.externalId };
}

const cancelAll = (quantity: number) => ({ orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" });

async function submit(request: APIRequestContext, key: string, orderId: string, quantity = 2) {
  const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer(key), "Idempotency-Key": `apr-${orderId}-${key}` },
    data: cancelAll(quantity),
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { cancellationId: string; status: string; refundAmount: string };
}

async function statusOf(request: APIRequestContext, orderId: string, cancellationId: string) {
  const response = await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer("dev-manager-key") });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { status: string }).status;
}

async function signedIn(browser: Browser, email: string, totp?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughForm(page, email, undefined, totp);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

/** Opens the queue and waits until it has loaded (its summary line), so an absence means something. */
async function openQueue(page: Page) {
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "Approval queue", level: 1 })).toBeVisible();
  await expect(page.getByText(/requests? (is|are) waiting|Nothing is waiting for approval/)).toBeVisible();
}

const queueRow = (page: Page, externalId: string) => page.getByRole("region", { name: "Pending approvals" }).getByRole("row").filter({ hasText: externalId });

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

test.describe("the approval queue", () => {
  test("an agent's over-limit request waits for the manager of its store, who approves it, and it completes; another store's manager never sees it", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId, externalId } = await importOrder(request, unique);
    const submitted = await submit(request, "dev-agent-key", orderId);
    expect(submitted).toMatchObject({ status: "pending_approval", refundAmount: "800.00" });

    const other = await signedIn(browser, "manager3@example.com");
    await openQueue(other);
    await expect(other.getByText(externalId)).toHaveCount(0);
    await other.goto(`/approvals/${submitted.cancellationId}`);
    await expect(other.getByRole("heading", { name: "Request not found" })).toBeVisible();

    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    const row = queueRow(manager, externalId);
    await expect(row).toContainText("STORE-001");
    await expect(row).toContainText(`Grace Hopper ${unique}`);
    await expect(row).toContainText("Alex Agent");
    await expect(row).toContainText("2 × OLED television, 55 inch (line 1)");
    await expect(row).toContainText("$800.00");
    await expect(row).toContainText("Over limit");
    await expect(row).toContainText("$800.00 — $300.00 over the agent's limit");
    await expect(row.getByRole("link", { name: externalId, exact: true })).toHaveAttribute("href", `/orders/${orderId}`);
    await expect(row).toContainText(/2 d 23 h left|3 d left/);
    await expectNoSeriousAxeViolations(manager);

    await row.getByRole("link", { name: `Review the request for order ${externalId}` }).click();
    await expect(manager.getByRole("heading", { name: `Cancellation request for order ${externalId}` })).toBeVisible();
    await expect(manager.getByRole("heading", { name: "Refund $800.00" })).toBeVisible();
    await expect(manager.getByRole("list", { name: "Where the money goes" })).toHaveText("Reverse $800.00 on Visa •••• 4242");
    await expect(manager.getByRole("region", { name: "Lines to cancel" }).getByRole("row").filter({ hasText: "OLED television" })).toContainText("$800.00");
    await expect(manager.getByText("The refund is above the requester's cancellation limit.")).toBeVisible();
    await expectNoSeriousAxeViolations(manager);

    await manager.getByRole("button", { name: "Approve", exact: true }).click();
    const dialog = manager.getByRole("dialog", { name: "Approve this cancellation" });
    await expect(dialog).toContainText("Approve the refund of $800.00 on order");
    await dialog.getByLabel("Note (optional)").fill("Customer called twice, TV damaged");
    await dialog.getByRole("button", { name: "Approve cancellation" }).click();
    await expect(manager.getByText("Approved. The refund is being processed.")).toBeVisible();
    await expect(manager.getByText(/^You approved it on .*: Customer called twice, TV damaged$/)).toBeVisible();
    await expect(manager.getByText(/already decided/)).toHaveCount(0);

    await expect.poll(() => statusOf(request, orderId, submitted.cancellationId), { timeout: 30_000 }).toBe("completed");
    await openQueue(manager);
    await expect(manager.getByText(externalId)).toHaveCount(0);
  });

  test("an agent has no queue at all and cannot approve over REST; a manager's own request is shown but not theirs to decide", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId } = await importOrder(request, unique);
    const agentRequest = await submit(request, "dev-agent-key", orderId);
    expect(agentRequest.status).toBe("pending_approval");

    const agent = await signedIn(browser, "agent@example.com");
    await agent.goto("/approvals");
    await expect(agent.getByRole("heading", { name: "You don't have permission to open the approval queue" })).toBeVisible();
    await expect(agent.getByRole("region", { name: "Pending approvals" })).toHaveCount(0);
    await expectNoSeriousAxeViolations(agent);
    const agentApprove = await request.post(`/api/v1/cancellations/${agentRequest.cancellationId}/approve`, { headers: bearer("dev-agent-key"), data: {} });
    expect(agentApprove.status()).toBe(403);

    // Above the store-manager limit (10 × USD 500.00), so the manager's own request waits for an admin.
    const big = await importOrder(request, `${unique}-OWN`, { quantity: 1, unitPrice: "6000.00" });
    const own = await submit(request, "dev-manager-key", big.orderId, 1);
    expect(own.status).toBe("pending_approval");
    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    await expect(queueRow(manager, big.externalId)).toContainText("Your request: someone else decides");
    await queueRow(manager, big.externalId).getByRole("link", { name: /^Review/ }).click();
    const approve = manager.getByRole("button", { name: "Approve", exact: true });
    await expect(approve).toBeDisabled();
    await expect(manager.getByRole("button", { name: "Reject", exact: true })).toBeDisabled();
    await expect(approve).toHaveAccessibleDescription("You requested this cancellation, so someone else must approve or reject it (four eyes).");
    const selfApprove = await request.post(`/api/v1/cancellations/${own.cancellationId}/approve`, { headers: bearer("dev-manager-key"), data: {} });
    expect(selfApprove.status()).toBe(403);
    expect(((await selfApprove.json()) as { error: { code: string } }).error.code).toBe("SELF_APPROVAL_FORBIDDEN");

    // Tidy up: an admin rejects both, so their units are free again.
    for (const id of [agentRequest.cancellationId, own.cancellationId]) {
      const reject = await request.post(`/api/v1/cancellations/${id}/reject`, { headers: bearer("dev-admin-key"), data: { note: "e2e cleanup" } });
      expect(reject.status()).toBe(200);
    }
  });

  test("the queue refreshes itself when someone else decides, and deciding a request already decided says so", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const first = await importOrder(request, `${unique}-A`);
    const second = await importOrder(request, `${unique}-B`, { storeId: "STORE-002" });
    const a = await submit(request, "dev-agent-key", first.orderId);
    const b = await submit(request, "dev-agent-key", second.orderId);

    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    await expect(queueRow(manager, first.externalId)).toBeVisible();
    await expect(queueRow(manager, second.externalId)).toBeVisible();

    const rejectA = await request.post(`/api/v1/cancellations/${a.cancellationId}/reject`, { headers: bearer("dev-admin-key"), data: { note: "Duplicate request" } });
    expect(rejectA.status()).toBe(200);
    await expect(queueRow(manager, first.externalId)).toHaveCount(0);
    await expect(queueRow(manager, second.externalId)).toBeVisible();

    await queueRow(manager, second.externalId).getByRole("link", { name: /^Review/ }).click();
    await manager.getByRole("button", { name: "Reject", exact: true }).click();
    const dialog = manager.getByRole("dialog", { name: "Reject this cancellation" });
    await dialog.getByRole("button", { name: "Reject cancellation" }).click();
    await expect(dialog.getByText("Write a note: the requester sees why it was rejected.")).toBeVisible();
    await dialog.getByLabel("Why are you rejecting it? (required)").fill("Customer changed their mind");

    const approveB = await request.post(`/api/v1/cancellations/${b.cancellationId}/approve`, { headers: bearer("dev-admin-key"), data: {} });
    expect(approveB.status()).toBe(200);
    await dialog.getByRole("button", { name: "Reject cancellation" }).click();
    const conflict = manager.getByRole("alert").filter({ hasText: "Already decided" });
    await expect(conflict).toContainText(/Someone else already decided this request: it is now (processing|completed)\./);
    await expect(manager.getByRole("button", { name: "Reject", exact: true })).toHaveCount(0);
    await expect.poll(() => statusOf(request, second.orderId, b.cancellationId), { timeout: 30_000 }).toBe("completed");
  });

  test("on a phone (360 px) the queue is cards without sideways scroll; rejecting from there shows Rejected at once", async ({ browser, request }, testInfo) => {
    test.setTimeout(120_000); // a long flow with several axe scans on a shared 2-core machine
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId, externalId } = await importOrder(request, unique);
    const submitted = await submit(request, "dev-agent-key", orderId);
    // Not isMobile: a mobile viewport zooms out to fit a page that is too wide, which would hide the overflow this looks for.
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const phone = await context.newPage();
    await signInThroughForm(phone, "manager@example.com");
    await expect(phone.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(phone.getByRole("navigation", { name: "Main" }).getByTestId("approvals-count")).toHaveText(/^\d+ waiting for your decision$/);
    await openQueue(phone);
    const card = phone.getByRole("list", { name: "Pending approvals" }).getByRole("listitem").filter({ hasText: externalId });
    await expect(card).toContainText("$800.00 — $300.00 over the agent's limit");
    await expect(card).toContainText(`Grace Hopper ${unique}`);
    await expect(card).toContainText(/2 d 23 h left|3 d left/);
    await expect(phone.getByRole("region", { name: "Pending approvals" })).toBeHidden();
    // Nothing wider than the screen: the page scrolls no sideways.
    const overflow = () => phone.evaluate(() => ({ viewport: window.innerWidth, wide: document.documentElement.scrollWidth - document.documentElement.clientWidth, body: document.body.scrollWidth - document.documentElement.clientWidth }));
    const widths = await overflow();
    expect(widths).toEqual({ viewport: 360, wide: 0, body: 0 });
    const review = card.getByRole("link", { name: `Review the request for order ${externalId}` });
    await review.scrollIntoViewIfNeeded();
    const box = await review.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(widths.viewport);
    await expectNoSeriousAxeViolations(phone);

    await review.click();
    await expect(phone.getByRole("heading", { name: `Cancellation request for order ${externalId}` })).toBeVisible();
    const lineRow = phone.getByRole("region", { name: "Lines to cancel" }).getByRole("row").filter({ hasText: "OLED television" });
    await expect(lineRow).toContainText("$0.00");
    await expect(lineRow).not.toContainText("−$0.00");
    expect(await overflow()).toEqual({ viewport: 360, wide: 0, body: 0 });
    await expectNoSeriousAxeViolations(phone);
    await phone.getByRole("button", { name: "Reject", exact: true }).click();
    const dialog = phone.getByRole("dialog", { name: "Reject this cancellation" });
    await expect(dialog.getByRole("button", { name: "Keep pending" })).toBeVisible();
    await dialog.getByLabel("Why are you rejecting it? (required)").fill("Customer kept the TV");
    await dialog.getByRole("button", { name: "Reject cancellation" }).click();
    await expect(phone.getByText("Rejected. The held units are available again.")).toBeVisible();
    await expect(phone.getByText("Pending approval", { exact: true })).toHaveCount(0);
    await expect(phone.getByText("Rejected", { exact: true })).toBeVisible();
    await expect(phone.getByText(/^You rejected it on .*: Customer kept the TV$/)).toBeVisible();
    await expect(phone.getByText(/already decided/)).toHaveCount(0);
    expect(await statusOf(request, orderId, submitted.cancellationId)).toBe("rejected");
    await context.close();
  });

  test("bulk approve of three selected requests, one of which an admin rejected meanwhile: two are approved, the third is reported and stays rejected", async ({ browser, request }, testInfo) => {
    test.setTimeout(120_000); // a long flow with several axe scans on a shared 2-core machine
    const unique = uniqueId(testInfo.workerIndex);
    const orders = [await importOrder(request, `${unique}-A`), await importOrder(request, `${unique}-B`), await importOrder(request, `${unique}-C`, { storeId: "STORE-002" })];
    const requests: Awaited<ReturnType<typeof submit>>[] = [];
    for (const o of orders) requests.push(await submit(request, "dev-agent-key", o.orderId));

    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    for (const o of orders) await manager.getByRole("checkbox", { name: `Select the request for order ${o.externalId}` }).check();
    await expect(manager.getByRole("group", { name: "Decide several requests" })).toContainText("3 selected");
    await expectNoSeriousAxeViolations(manager);

    // The page has not heard of the admin's decision yet: its refreshes are held back, as in a race.
    const queueRefresh = (url: URL) => url.pathname.startsWith("/api/trpc/") && url.pathname.includes("approval.queue");
    await manager.route(queueRefresh, (route) => route.abort());
    // One refresh has failed since: none that started before the route can still bring news.
    await expect(manager.getByRole("alert").filter({ hasText: "The last refresh failed" })).toBeVisible();
    const rejectB = await request.post(`/api/v1/cancellations/${requests[1]!.cancellationId}/reject`, { headers: bearer("dev-admin-key"), data: { note: "Fraud check" } });
    expect(rejectB.status()).toBe(200);

    await manager.getByRole("button", { name: "Approve selected" }).click();
    const dialog = manager.getByRole("dialog", { name: "Approve this cancellation" });
    await expect(dialog).toContainText(`Approve 3 requests: ${orders.map((o) => o.externalId).join(", ")}`);
    await manager.unroute(queueRefresh);
    await dialog.getByRole("button", { name: "Approve cancellation" }).click();

    await expect(manager.getByRole("status").filter({ hasText: "Approved 2 of 3 requests" })).toBeVisible();
    const results = manager.getByRole("list", { name: "Result per request" });
    await expect(results.getByRole("listitem").filter({ hasText: orders[0]!.externalId })).toContainText(/approved \((processing|completed)\)/);
    await expect(results.getByRole("listitem").filter({ hasText: orders[1]!.externalId })).toContainText("not changed: someone else already decided it (it is rejected)");
    await expect(results.getByRole("listitem").filter({ hasText: orders[2]!.externalId })).toContainText(/approved/);
    for (const i of [0, 2]) await expect.poll(() => statusOf(request, orders[i]!.orderId, requests[i]!.cancellationId), { timeout: 30_000 }).toBe("completed");
    expect(await statusOf(request, orders[1]!.orderId, requests[1]!.cancellationId)).toBe("rejected");
    for (const o of orders) await expect(queueRow(manager, o.externalId)).toHaveCount(0);
    await expectNoSeriousAxeViolations(manager);
  });

  test("an admin lowers the CAD agent limit and the next preview of a smaller amount needs approval; the limit is restored", async ({ browser, request }, testInfo) => {
    test.setTimeout(120_000); // a long flow with several axe scans on a shared 2-core machine
    // CAD is used by no other test, so parallel tests never see the lowered limit.
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId } = await importOrder(request, unique, { currency: "CAD", unitPrice: "150.00" });
    const preview = async () => {
      const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, { headers: bearer("dev-agent-key"), data: cancelAll(2) });
      expect(response.status(), await response.text()).toBe(200);
      return (await response.json()) as { approvalRequired: boolean; approvalReasons: string[]; totals: { total: string } };
    };
    expect(await preview()).toMatchObject({ approvalRequired: false, totals: { total: "300.00" } });

    const admin = await signedIn(browser, "admin@example.com", adminCode());
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(admin.getByRole("heading", { name: "Admin console", level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolations(admin);
    await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Business rules" }).click();
    await expect(admin.getByRole("heading", { name: "Business rules", level: 1 })).toBeVisible();
    const cadLimit = admin.getByLabel("Agent limit, CAD");
    await expect(cadLimit).toHaveValue("650.00");
    await expectNoSeriousAxeViolations(admin);

    await expect(admin.getByTestId("rules-version")).not.toContainText("specification");
    await cadLimit.fill("100.001");
    await admin.getByRole("button", { name: "Save rules" }).click();
    const confirm = admin.getByRole("dialog", { name: /^Save version \d+ of the rules\?$/ });
    await expect(confirm.getByRole("region", { name: "What changes" }).getByRole("row").filter({ hasText: "Agent limit, CAD" })).toContainText("650.00100.001");
    await confirm.getByRole("button", { name: /^Save version/ }).click();
    // The refusal is shown at the field, which takes the focus.
    await expect(cadLimit).toBeFocused();
    await expect(cadLimit).toHaveAttribute("aria-invalid", "true");
    await expect(cadLimit).toHaveAccessibleDescription('Amount "100.001" has 3 decimals; CAD allows 2');
    await expect(admin.getByRole("alert").filter({ hasText: "Nothing was saved" })).toContainText("one field needs a change, marked above");
    expect((await preview()).approvalRequired).toBe(false);
    await expectNoSeriousAxeViolations(admin);

    const versionBefore = Number((await admin.getByTestId("rules-version").textContent())?.match(/Saving creates version (\d+)/)?.[1]);
    await cadLimit.fill("100.00");
    await admin.getByRole("button", { name: "Save rules" }).click();
    await expect(confirm.getByRole("row").filter({ hasText: "Agent limit, CAD" })).toContainText("650.00100.00");
    await expectNoSeriousAxeViolations(admin);
    await confirm.getByRole("button", { name: `Save version ${versionBefore}` }).click();
    await expect(admin.getByText(`Version ${versionBefore} saved; in force from the next preview.`)).toBeVisible();
    await expect(admin.getByTestId("rules-version")).toContainText(`Version ${versionBefore} is in force.`);
    await expect(admin.getByLabel("Agent limit, CAD")).toHaveValue("100.00");
    await expect(admin.getByRole("list", { name: "Versions of the rules" }).getByRole("listitem").filter({ hasText: `Version ${versionBefore},` })).toContainText(
      new RegExp(`^Version ${versionBefore}, .* by Ada Admin — changed Agent limit, CAD$`),
    );
    expect(await preview()).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"] });

    await admin.getByLabel("Agent limit, CAD").fill("650.00");
    await admin.getByRole("button", { name: "Save rules" }).click();
    await confirm.getByRole("button", { name: `Save version ${versionBefore + 1}` }).click();
    await expect(admin.getByTestId("rules-version")).toContainText(`Version ${versionBefore + 1} is in force.`);
    // The diff between the two versions this test saved: the CAD limit went back.
    await admin.getByLabel("From", { exact: true }).selectOption(String(versionBefore));
    await admin.getByLabel("To", { exact: true }).selectOption(String(versionBefore + 1));
    await expect(admin.getByRole("region", { name: `Changes from version ${versionBefore} to version ${versionBefore + 1}` }).getByRole("row").filter({ hasText: "Agent limit, CAD" })).toContainText("100.00650.00");
    await expect(admin.getByLabel("Agent limit, CAD")).toHaveValue("650.00");
    expect((await preview()).approvalRequired).toBe(false);
  });
});
