import { describe, expect, it } from "vitest";
import { safeReturnPath, signInHref } from "./return-path";

describe("safeReturnPath", () => {
  it("keeps a deep link of this app, with its query", () => {
    expect(safeReturnPath("/orders/3f1c?lines=A:2&reason=OTHER")).toBe("/orders/3f1c?lines=A:2&reason=OTHER");
    expect(safeReturnPath("/approvals")).toBe("/approvals");
  });

  it("refuses anything that could leave the app or loop", () => {
    for (const bad of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "orders", "", null, undefined, "/sign-in?callbackUrl=/x", "/api/v1/orders", "/", "/?x=1", "/orders\n/x"]) {
      expect(safeReturnPath(bad), String(bad)).toBeNull();
    }
    expect(safeReturnPath(`/${"a".repeat(2001)}`)).toBeNull();
  });

  it("builds the sign-in link with the way back encoded", () => {
    expect(signInHref("/orders/abc?lines=A:2")).toBe("/sign-in?callbackUrl=%2Forders%2Fabc%3Flines%3DA%3A2");
    expect(signInHref("//evil.example")).toBe("/sign-in");
    expect(signInHref(null)).toBe("/sign-in");
  });
});
