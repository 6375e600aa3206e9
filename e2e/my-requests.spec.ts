import { expect, importOrder, overLimit, test } from "./fixtures";
import { bearer, cancelThroughRest, expectNoSeriousAxeViolations, expectNoSideways, tabTo } from "./workspace-helpers";

/*
 * Issue 15, point 7: the agent's own work. Requests above the agent's limit wait for approval; the
 * dev agent (agent@example.com, whose key is dev-agent-key) made them.
 */
test.describe("My requests", () => {
  test("lists the agent's pending request, updates live when a manager approves it, and the agent gets a notice", async ({ agentPage: page, request, unique }) => {
    const { orderId, body } = await importOrder(request, overLimit(unique));
    const pending = await cancelThroughRest(request, "dev-agent-key", orderId, ["1"], [2], `mine-${unique}`);
    expect(pending.status).toBe("pending_approval");

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My requests" }).click();
    await expect(page.getByRole("heading", { name: "My requests", level: 1 })).toBeVisible();
    const card = page.getByRole("listitem", { name: `Order ${body.externalId}, $800.00` });
    await expect(card).toContainText("over your limit");
    await expect(card.getByRole("button", { name: "Withdraw request" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    const approve = await request.post(`/api/v1/cancellations/${pending.cancellationId}/approve`, { headers: bearer("dev-manager-key"), data: { note: `ok ${unique}` } });
    expect(approve.status(), await approve.text()).toBe(200);
    // No reload: the list polls while anything can still change.
    await expect(card.getByText("Approved", { exact: true }).first()).toBeVisible({ timeout: 20_000 });
    await expect(card).toContainText(`“ok ${unique}”`);
    await expect(card.getByRole("button", { name: "Withdraw request" })).toBeHidden();

    await page.getByRole("link", { name: "Decided" }).click();
    await expect(page).toHaveURL(/\/requests\?group=decided$/);
    await expect(page.getByRole("listitem", { name: `Order ${body.externalId}, $800.00` })).toBeVisible();
    await page.getByRole("link", { name: /^Pending/ }).click();
    await expect(page.getByRole("listitem", { name: `Order ${body.externalId}, $800.00` })).toBeHidden();

    // The in-app notice of the decision (the notices poll every 15 s; a reload asks at once).
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole("button", { name: /Notices/ }).click();
        return page.getByRole("region", { name: "Notices" }).getByText(`Order ${body.externalId}: $800.00, approved by`).count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
  });

  test("withdraw from My requests, keyboard only at 360 px: the held units are cancellable again", async ({ agentPage: page, request, unique }) => {
    const { orderId, body } = await importOrder(request, overLimit(unique));
    const pending = await cancelThroughRest(request, "dev-agent-key", orderId, ["1"], [2], `withdraw-${unique}`);
    const lines = async () => ((await (await request.get(`/api/v1/orders/${orderId}`, { headers: bearer("dev-agent-key") })).json()) as { lines: { cancellable: number; pendingCancel: number }[] }).lines[0]!;
    expect(await lines()).toMatchObject({ cancellable: 0, pendingCancel: 2 });

    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto("/requests?group=pending");
    const card = page.getByRole("listitem", { name: `Order ${body.externalId}, $800.00` });
    await expect(card).toBeVisible();
    await expectNoSideways(page);
    await expectNoSeriousAxeViolations(page);

    await page.locator("body").focus();
    await tabTo(page, card.getByRole("button", { name: "Withdraw request" }));
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Withdraw this request" });
    await expect(dialog).toBeVisible();
    await page.keyboard.type(`changed mind ${unique}`);
    await tabTo(page, dialog.getByRole("button", { name: "Withdraw request" }));
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Request withdrawn. The held units can be cancelled again.")).toBeVisible();

    expect(await lines()).toMatchObject({ cancellable: 2, pendingCancel: 0 });
    const status = (await (await request.get(`/api/v1/orders/${orderId}/cancellations/${pending.cancellationId}`, { headers: bearer("dev-agent-key") })).json()) as { status: string; timeline: { detail: string | null }[] };
    expect(status.status).toBe("withdrawn");
    // The withdrawal's entry carries the note; an email entry of the worker may land after it.
    expect(status.timeline.filter((e) => e.detail?.includes(`changed mind ${unique}`))).toHaveLength(1);
    await page.getByRole("link", { name: /^Decided/ }).click();
    await expect(page.getByRole("listitem", { name: `Order ${body.externalId}, $800.00` }).getByText("Withdrawn", { exact: true }).first()).toBeVisible();
  });

  test("REST withdraw: the requester's key withdraws (200, withdrawn), someone else's gets 403 NOT_REQUESTER", async ({ request, unique }) => {
    const { orderId } = await importOrder(request, overLimit(unique));
    const pending = await cancelThroughRest(request, "dev-agent-key", orderId, ["1"], [2], `rest-withdraw-${unique}`);
    expect(pending.status).toBe("pending_approval");
    const byManager = await request.post(`/api/v1/cancellations/${pending.cancellationId}/withdraw`, { headers: bearer("dev-manager-key"), data: {} });
    expect(byManager.status()).toBe(403);
    expect(((await byManager.json()) as { error: { code: string } }).error.code).toBe("NOT_REQUESTER");
    const mine = await request.post(`/api/v1/cancellations/${pending.cancellationId}/withdraw`, { headers: bearer("dev-agent-key"), data: { note: "by REST" } });
    expect(mine.status()).toBe(200);
    expect(((await mine.json()) as { status: string }).status).toBe("withdrawn");
  });
});
