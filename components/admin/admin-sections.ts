// A plain module: the server-rendered overview and the client-side nav both read it.
export const ADMIN_SECTIONS = [
  { href: "/admin/rules", label: "Business rules", description: "Limits per currency, the manager multiple, velocity, reason codes, shipping refunds, approval expiry." },
  { href: "/admin/users", label: "Users", description: "Create and deactivate accounts, roles and stores, reset a TOTP secret, failed sign-ins." },
  { href: "/admin/api-keys", label: "API keys", description: "Keys for machine clients: scopes, the service user they act as, last use, revoke." },
  { href: "/admin/operations", label: "Operations", description: "Dead letters to retry, manual refunds to complete, payment providers' circuit breakers." },
  { href: "/admin/audit", label: "Audit log", description: "Who did what, when and from where; export as CSV; verify the hash chain." },
] as const;
