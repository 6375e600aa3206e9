"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { Secret } from "./secret-once";
import type { StoreOption } from "./types";
import { RoleAndStores, type RoleValue } from "./user-fields";

export function CreateUserForm({ stores, onSecrets }: { stores: StoreOption[]; onSecrets: (title: string, secrets: Secret[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<RoleValue>("customer_service_agent");
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const [serviceUser, setServiceUser] = useState(false);
  const create = useMutation(
    trpc.admin.users.create.mutationOptions({
      onSuccess: async (created) => {
        const secrets: Secret[] = [];
        if (created.temporaryPassword) secrets.push({ label: "Temporary password", value: created.temporaryPassword, hint: `Give it to ${created.email} over a separate channel.` });
        if (created.totpSecret) secrets.push({ label: "TOTP secret", value: created.totpSecret, hint: "For the authenticator app (otpauth URI below)." });
        if (created.totpUri) secrets.push({ label: "TOTP URI", value: created.totpUri });
        if (secrets.length) onSecrets(`Account ${created.email} created`, secrets);
        setEmail("");
        setName("");
        setStoreIds([]);
        setServiceUser(false);
        await queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() });
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ email, name, role, storeIds, serviceUser });
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="create-user-heading" className={sectionClass}>
      <h2 id="create-user-heading" className="text-base font-semibold">
        Create a user
      </h2>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="new-user-email" className={labelClass}>
            Email
          </label>
          <input id="new-user-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} className={fieldClass} />
        </div>
        <div>
          <label htmlFor="new-user-name" className={labelClass}>
            Name
          </label>
          <input id="new-user-name" required value={name} onChange={(e) => setName(e.target.value)} className={fieldClass} />
        </div>
        <RoleAndStores idPrefix="new-user" role={role} storeIds={storeIds} stores={stores} onRole={setRole} onStores={setStoreIds} />
        <label className="flex items-start gap-2 text-sm sm:col-span-2">
          <input type="checkbox" checked={serviceUser} onChange={(e) => setServiceUser(e.target.checked)} className="mt-0.5 h-4 w-4" />
          <span>
            Service user <span className="text-slate-600">(for API keys of a machine client; cannot sign in)</span>
          </span>
        </label>
      </div>
      {create.isError && (
        <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {describeAppError(create.error)}
        </p>
      )}
      <Button type="submit" className="mt-4" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create user"}
      </Button>
    </form>
  );
}
