import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { ROLE_LABELS } from "./permissions";
import { REQUEST_PATH_HEADER, signInHref } from "./return-path";
import { requestMeta, resolveActor } from "./session-actor";

/** For server components: the signed-in user, or null. */
export async function currentUser() {
  const actor = await resolveActor({ ...requestMeta(await headers()), authorization: null });
  return actor && { ...actor, roleLabel: ROLE_LABELS[actor.role] };
}

/** For server components: the signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser() {
  const user = await currentUser();
  if (!user) redirect(signInHref((await headers()).get(REQUEST_PATH_HEADER)));
  return user;
}
