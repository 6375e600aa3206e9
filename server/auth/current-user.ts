import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { ROLE_LABELS } from "./permissions";
import { requestMeta, resolveActor } from "./session-actor";

/** For server components: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser() {
  const actor = await resolveActor({ ...requestMeta(await headers()), authorization: null });
  if (!actor) redirect("/sign-in");
  return { ...actor, roleLabel: ROLE_LABELS[actor.role] };
}
