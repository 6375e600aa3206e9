/** The groups of "My requests", as links (?group=): shared by the page (a server component) and the list. */
export type MyRequestTab = "all" | "pending" | "decided" | "failed";

export const MY_REQUEST_TABS: { group: MyRequestTab; label: string }[] = [
  { group: "all", label: "All" },
  { group: "pending", label: "Pending" },
  { group: "decided", label: "Decided" },
  { group: "failed", label: "Failed" },
];

export function parseMyRequestTab(raw: string | string[] | undefined): MyRequestTab {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return MY_REQUEST_TABS.find((t) => t.group === value)?.group ?? "all";
}
