import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

/** Presses Tab (and nothing else) until `target` has the focus. */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/**
 * The focused element's outline is drawn and no ancestor that clips (overflow other than visible)
 * cuts it: the outline's box (the element grown by outline offset + width) lies inside each such
 * ancestor's box.
 */
export async function expectUnclippedFocusRing(target: Locator) {
  const problem = await target.evaluate((el) => {
    if (el !== document.activeElement) return "not focused";
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    if (style.outlineStyle === "none" || !(width >= 2)) return `no visible outline (${style.outlineStyle} ${style.outlineWidth})`;
    const grow = width + Math.max(0, parseFloat(style.outlineOffset) || 0);
    const r = el.getBoundingClientRect();
    const ring = { left: r.left - grow, top: r.top - grow, right: r.right + grow, bottom: r.bottom + grow };
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === "visible" && s.overflowY === "visible") continue;
      const b = a.getBoundingClientRect();
      if (ring.left < b.left - 0.5 || ring.right > b.right + 0.5 || ring.top < b.top - 0.5 || ring.bottom > b.bottom + 0.5) {
        return `clipped by <${a.tagName.toLowerCase()} class="${a.className}">`;
      }
    }
    return null;
  });
  expect(problem).toBeNull();
}
