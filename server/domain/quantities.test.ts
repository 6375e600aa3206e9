import { describe, expect, it } from "vitest";
import { cancellableQuantity, deriveOrderStatus, isOrderCancellable } from "./quantities";

const line = (over: Partial<Parameters<typeof cancellableQuantity>[0]> = {}) => ({
  quantity: 5, shipped: 0, released: 0, cancelled: 0, pendingCancel: 0, ...over,
});

describe("cancellableQuantity", () => {
  it("subtracts shipped, released, cancelled and held units", () => {
    expect(cancellableQuantity(line())).toBe(5);
    expect(cancellableQuantity(line({ shipped: 1, released: 1, cancelled: 1, pendingCancel: 1 }))).toBe(1);
  });

  it("is never negative", () => {
    expect(cancellableQuantity(line({ shipped: 4, cancelled: 3 }))).toBe(0);
  });
});

describe("deriveOrderStatus", () => {
  it.each([
    ["OPEN", [line(), line({ quantity: 1 })]],
    ["OPEN", [line({ pendingCancel: 5 })]],
    ["PARTIALLY_CANCELLED", [line({ cancelled: 2 }), line()]],
    ["CANCELLED", [line({ cancelled: 5 }), line({ quantity: 2, cancelled: 2 })]],
    ["PARTIALLY_SHIPPED", [line({ shipped: 1 })]],
    ["PARTIALLY_SHIPPED", [line({ shipped: 2, cancelled: 1 })]],
    ["SHIPPED", [line({ shipped: 5 }), line({ quantity: 2, shipped: 2 })]],
    ["SHIPPED", [line({ shipped: 3, cancelled: 2 }), line({ quantity: 1, cancelled: 1 })]],
    ["OPEN", []],
  ] as const)("%s", (status, lines) => {
    expect(deriveOrderStatus(lines)).toBe(status);
  });
});

describe("isOrderCancellable", () => {
  it("refuses CANCELLED and COMPLETED orders only", () => {
    expect(isOrderCancellable("CANCELLED")).toBe(false);
    expect(isOrderCancellable("COMPLETED")).toBe(false);
    for (const s of ["OPEN", "PARTIALLY_CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED"] as const) {
      expect(isOrderCancellable(s)).toBe(true);
    }
  });
});
