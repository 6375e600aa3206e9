"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Badge } from "../badge";
import { ApiKeyRateLimit } from "./api-key-rate-limit";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { fieldClass, hintClass, labelClass, sectionClass } from "./form-styles";
import { type Secret, SecretOnceDialog } from "./secret-once";
import type { ApiKeysView } from "./types";
import { roleLabel } from "./user-fields";

const SCOPES = [
  { value: "orders:read", hint: "read orders, cancellations and previews" },
  { value: "orders:write", hint: "import orders" },
  { value: "cancellations:write", hint: "submit cancellations" },
  { value: "cancellations:approve", hint: "approve or reject (the service user's role must allow it)" },
] as const;
type Scope = (typeof SCOPES)[number]["value"];
type KeyRow = ApiKeysView["keys"][number];

function CreateApiKeyForm({ serviceUsers, onCreated }: { serviceUsers: ApiKeysView["serviceUsers"]; onCreated: (secrets: Secret[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [userId, setUserId] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["orders:read"]);
  const create = useMutation(
    trpc.admin.apiKeys.create.mutationOptions({
      onSuccess: async (created) => {
        onCreated([{ label: "API key", value: created.secret, hint: `Send it as "Authorization: Bearer <key>". Only its SHA-256 is stored; its prefix ${created.prefix} identifies it in the list.` }]);
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() });
      },
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, userId: userId || (serviceUsers[0]?.userId ?? ""), scopes });
  }
  return (
    <form onSubmit={onSubmit} aria-labelledby="create-key-heading" className={sectionClass}>
      <h2 id="create-key-heading" className="text-base font-semibold">
        Create an API key
      </h2>
      {serviceUsers.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">
          API keys act as a service user. <Link href="/admin/users" className="text-blue-800 underline">Create a service user</Link> first.
        </p>
      ) : (
        <>
          <div className="mt-3 grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="new-key-name" className={labelClass}>
                Name
              </label>
              <input id="new-key-name" required value={name} onChange={(e) => setName(e.target.value)} placeholder="POS store 3" className={fieldClass} />
            </div>
            <div>
              <label htmlFor="new-key-user" className={labelClass}>
                Acts as
              </label>
              <select id="new-key-user" value={userId || serviceUsers[0]!.userId} onChange={(e) => setUserId(e.target.value)} aria-describedby="new-key-user-hint" className={fieldClass}>
                {serviceUsers.map((u) => (
                  <option key={u.userId} value={u.userId}>
                    {u.name} ({roleLabel(u.role)})
                  </option>
                ))}
              </select>
              <p id="new-key-user-hint" className={hintClass}>
                The key can do what this service user&apos;s role allows, within its scopes.
              </p>
            </div>
            <fieldset className="sm:col-span-2">
              <legend className={labelClass}>Scopes</legend>
              <div className="mt-1 space-y-1 text-sm">
                {SCOPES.map((s) => (
                  <label key={s.value} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={scopes.includes(s.value)}
                      onChange={(e) => setScopes(e.target.checked ? [...scopes, s.value] : scopes.filter((x) => x !== s.value))}
                      className="h-4 w-4"
                    />
                    <code>{s.value}</code> <span className="text-slate-600">{s.hint}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          {create.isError && (
            <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              {describeAppError(create.error)}
            </p>
          )}
          <Button type="submit" className="mt-4" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create API key"}
          </Button>
        </>
      )}
    </form>
  );
}

export function ApiKeysAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions());
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [secrets, setSecrets] = useState<Secret[] | null>(null);
  const revoke = useMutation(
    trpc.admin.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() });
      },
    }),
  );

  if (keys.isPending) return <p className="text-sm text-slate-700">Loading API keys…</p>;
  if (keys.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        {describeAppError(keys.error)}
      </p>
    );
  }
  return (
    <div className="space-y-5">
      <Table label="API keys" caption="API keys by prefix, the user they act as, their scopes and use">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Prefix</TH>
            <TH>Acts as</TH>
            <TH>Scopes</TH>
            <TH>Created</TH>
            <TH>Last used</TH>
            <TH>Limit</TH>
            <TH>Status</TH>
            <TH>
              <span className="sr-only">Action</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {keys.data.keys.map((k) => (
            <TR key={k.apiKeyId}>
              <TD className="font-medium">{k.name}</TD>
              <TD>
                <code className="text-xs">{k.prefix}…</code>
              </TD>
              <TD>
                <div>{k.user.name}</div>
                <div className="text-xs text-slate-600">
                  {roleLabel(k.user.role)}
                  {k.user.isServiceUser ? ", service user" : ""}
                  {k.user.active ? "" : ", deactivated"}
                </div>
              </TD>
              <TD>
                <ul className="text-xs">
                  {k.scopes.map((s) => (
                    <li key={s}>
                      <code>{s}</code>
                    </li>
                  ))}
                </ul>
              </TD>
              <TD className="whitespace-nowrap"><LocalTime iso={k.createdAt} /></TD>
              <TD className="whitespace-nowrap">{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt} /> : "Never"}</TD>
              <TD>{k.revokedAt ? (k.rateLimitPerMinute ?? "default") : <ApiKeyRateLimit apiKeyId={k.apiKeyId} name={k.name} perMinute={k.rateLimitPerMinute} />}</TD>
              <TD>{k.revokedAt ? <Badge>Revoked <LocalTime iso={k.revokedAt} /></Badge> : <Badge tone="success">Active</Badge>}</TD>
              <TD>
                {!k.revokedAt && (
                  <Button variant="secondary" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)}>
                    Revoke
                  </Button>
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <CreateApiKeyForm serviceUsers={keys.data.serviceUsers} onCreated={setSecrets} />
      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        dismissible={!revoke.isPending}
        title="Revoke this API key?"
        description={revoking ? `${revoking.name} (${revoking.prefix}…) stops working with the next request. This cannot be undone.` : undefined}
      >
        {revoke.isError && (
          <p role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            {describeAppError(revoke.error)}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => setRevoking(null)} disabled={revoke.isPending}>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => revoking && revoke.mutate({ apiKeyId: revoking.apiKeyId })} disabled={revoke.isPending}>
            {revoke.isPending ? "Revoking…" : "Revoke key"}
          </Button>
        </div>
      </Dialog>
      <SecretOnceDialog title="API key created" secrets={secrets} onClose={() => setSecrets(null)} />
    </div>
  );
}
