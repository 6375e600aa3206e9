// The role and permission model of SPEC §1, in one place.
export const ROLES = ["customer_service_agent", "store_manager", "system_admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "cancel_partial_quantity",
  "view_order_details",
  "process_refund",
  "approve_cancellations",
  "override_cancellation_rules",
  "configure_business_rules",
  "manage_user_permissions",
  "access_audit_logs",
  "modify_cancellation_reasons",
  "read_order_pii",
  "read_payment_information",
  "read_customer_data",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT: readonly Permission[] = [
  "cancel_partial_quantity",
  "view_order_details",
  "process_refund",
  "read_order_pii",
  "read_customer_data",
];
const MANAGER: readonly Permission[] = [...AGENT, "approve_cancellations", "override_cancellation_rules"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  customer_service_agent: AGENT,
  store_manager: MANAGER,
  system_admin: PERMISSIONS,
};

export const ROLE_LABELS: Record<Role, string> = {
  customer_service_agent: "Customer service agent",
  store_manager: "Store manager",
  system_admin: "System admin",
};

export const API_SCOPES = ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Who is acting: a signed-in user or an API client acting as its service user. */
export interface Actor {
  kind: "user" | "api_key";
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** Store ids the actor may see; `null` means every store. */
  storeIds: string[] | null;
  /** API-key scopes; `null` for a browser session (its role decides alone). */
  scopes: ApiScope[] | null;
  apiKeyId?: string;
  ip?: string;
  userAgent?: string;
  channel: string;
}

export function hasPermission(actor: Pick<Actor, "role">, permission: Permission): boolean {
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

export function hasScope(actor: Pick<Actor, "scopes">, scope: ApiScope): boolean {
  return actor.scopes === null || actor.scopes.includes(scope);
}

/** Store managers see only their stores; agents and admins see all. */
export function storeFilterFor(role: Role, assigned: string[]): string[] | null {
  return role === "store_manager" ? assigned : null;
}

export function canSeeStore(actor: Pick<Actor, "storeIds">, storeId: string): boolean {
  return actor.storeIds === null || actor.storeIds.includes(storeId);
}

/**
 * People only: a service user (the owner of API keys) is not a person, and an inactive user is no
 * one. Neither signs in, opens an embed session or is sent a notice. The one statement of the rule.
 */
export function isActivePerson<U extends { active: boolean; isServiceUser: boolean }>(user: U | null | undefined): user is U {
  return !!user && user.active && !user.isServiceUser;
}

/** isActivePerson as a Prisma filter, for queries that pick people (whom to notify). */
export const ACTIVE_PERSON = { active: true, isServiceUser: false } as const;
