"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { describeAppError } from "../app-error";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";

const REASONS: Record<string, string> = {
  wrong_password: "Wrong password",
  wrong_totp: "Wrong TOTP code",
  missing_totp: "No TOTP code",
  account_locked: "Account locked",
  unknown_or_inactive_account: "Unknown or inactive account",
};

export function LoginAttempts() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const attempts = useQuery(trpc.admin.users.loginAttempts.queryOptions({ email: email.trim() || undefined, failedOnly: true, limit: 100 }));
  return (
    <section aria-labelledby="failed-sign-ins" className={sectionClass}>
      <h2 id="failed-sign-ins" className="text-base font-semibold">
        Failed sign-ins
      </h2>
      <div className="mt-2 max-w-sm">
        <label htmlFor="attempts-email" className={labelClass}>
          Filter by email
        </label>
        <input id="attempts-email" type="search" value={email} onChange={(e) => setEmail(e.target.value)} className={fieldClass} />
      </div>
      <div className="mt-3">
        {attempts.isPending ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : attempts.isError ? (
          <p role="alert" className="text-sm text-red-800">
            {describeAppError(attempts.error)}
          </p>
        ) : attempts.data.length === 0 ? (
          <p className="text-sm text-slate-700">No failed sign-ins.</p>
        ) : (
          <Table label="Failed sign-ins" caption="The latest 100 failed sign-ins, newest first">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Email</TH>
                <TH>Why</TH>
                <TH>IP</TH>
                <TH>User agent</TH>
              </TR>
            </THead>
            <TBody>
              {attempts.data.map((a) => (
                <TR key={a.id}>
                  <TD className="whitespace-nowrap"><LocalTime iso={a.at} /></TD>
                  <TD>{a.email}</TD>
                  <TD>{REASONS[a.reason] ?? a.reason}</TD>
                  <TD>{a.ip ?? "—"}</TD>
                  <TD className="max-w-xs truncate" title={a.userAgent ?? undefined}>
                    {a.userAgent ?? "—"}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </section>
  );
}
