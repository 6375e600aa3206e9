import { redirect } from "next/navigation";
import { requireUser } from "@/server/auth/current-user";
import { HOME_PATH } from "@/server/auth/return-path";

/** Signed in, the work starts at order search (SPEC: agents find an order first); the header says who you are. */
export default async function HomePage() {
  await requireUser();
  redirect(HOME_PATH);
}
