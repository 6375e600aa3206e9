import { describe, expect, it } from "vitest";
import { decisionBlockFor, isOwnRequest } from "./decision-rules";

const pending = { requestedById: "agent", status: "pending_approval", approverRole: "store_manager" };

describe("who may decide an approval request", () => {
  it("four eyes: the requester never decides their own request, whatever their role", () => {
    expect(isOwnRequest("agent", pending)).toBe(true);
    expect(isOwnRequest("manager", pending)).toBe(false);
    expect(decisionBlockFor({ userId: "agent", role: "system_admin" }, { ...pending, status: "approved" })).toBe("own_request");
  });

  it("a decided request is not decided again", () => {
    expect(decisionBlockFor({ userId: "manager", role: "store_manager" }, { ...pending, status: "rejected" })).toBe("decided");
  });

  it("above the store-manager limit only a system admin decides", () => {
    const big = { ...pending, approverRole: "system_admin" };
    expect(decisionBlockFor({ userId: "manager", role: "store_manager" }, big)).toBe("needs_system_admin");
    expect(decisionBlockFor({ userId: "admin", role: "system_admin" }, big)).toBeNull();
    expect(decisionBlockFor({ userId: "manager", role: "store_manager" }, pending)).toBeNull();
  });
});
