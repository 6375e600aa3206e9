import { describe, expect, it } from "vitest";
import { readSelection, writeSelection } from "@/components/cancellations/url-selection";

describe("the order page's selection in the URL", () => {
  it("round-trips quantities, reason and refund method, line ids with any character included", () => {
    const selection = { quantities: { A: 2, "x/1 &=": 1 }, reason: "OTHER", refundMethod: "store_credit" as const };
    const query = writeSelection("", selection);
    expect(readSelection(query)).toEqual(selection);
  });

  it("drops what is malformed and keeps other parameters", () => {
    expect(readSelection("?qty.A=-1&qty.B=1.5&qty.C=abc&qty.=3&qty.D=0&qty.E=4&method=cash")).toEqual({ quantities: { E: 4 }, reason: "", refundMethod: "original" });
    expect(writeSelection("?tab=history&qty.A=1", { quantities: {}, reason: "", refundMethod: "original" })).toBe("?tab=history");
    expect(writeSelection("?qty.A=1", { quantities: { A: 0 }, reason: "", refundMethod: "original" })).toBe("");
  });
});
