"use client";

import { type FormEvent, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { api } from "@/trpc/react";
import type { LogViewParams, LogViewSource } from "./log-params";
import { useLogPresets } from "./log-presets";
import { MAX_MATCH_CHARS, MIN_MATCH_CHARS } from "@/server/services/logs/linear-regex";

const SOURCE_LABELS: Record<LogViewSource, string> = {
  container: "Container",
  job: "Job",
  proxy: "Proxy access log",
  "mysql-slow": "MySQL slow log",
};

type Patch = Partial<LogViewParams>;

/** Host and container pickers, the window (tail, since, until), the filter and the toggles. */
export function LogToolbar({ view, onChange }: { view: LogViewParams; onChange: (patch: Patch) => void }) {
  const hosts = api.host.list.useQuery();
  const host = hosts.data?.find((h) => h.id === view.host || h.name === view.host);
  const containers = api.host.containers.useQuery({ id: host?.id ?? "" }, { enabled: Boolean(host && host.hostKeyState === "PINNED") });
  const presets = useLogPresets();
  const [draft, setDraft] = useState({ job: view.job, tail: view.tail, since: view.since, until: view.until, q: view.q });
  useEffect(
    () => setDraft({ job: view.job, tail: view.tail, since: view.since, until: view.until, q: view.q }),
    [view.job, view.tail, view.since, view.until, view.q],
  );
  const isJob = view.source === "job";
  const hasTimeWindow = view.source === "container" || view.source === "proxy";

  const apply = (e: FormEvent) => {
    e.preventDefault();
    onChange({
      job: draft.job.trim(),
      tail: draft.tail.trim() || "1000",
      since: draft.since.trim(),
      until: draft.until.trim(),
      q: draft.q,
    });
  };
  const chooseSource = (source: LogViewSource) => {
    // Proxy and slow log open the first stack's matching service at once (one click).
    const preset = presets.data?.find((p) => p.source === source);
    onChange(preset && !(view.source === source) ? { source, host: preset.host, container: preset.container } : { source });
  };
  const names = containers.data?.map((c) => c.name) ?? [];
  if (view.container && !names.includes(view.container)) names.unshift(view.container);

  return (
    <form onSubmit={apply} className="grid gap-3">
      <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
        <Field label="Source">
          <Select value={view.source} onChange={(e) => chooseSource(e.target.value as LogViewSource)}>
            {Object.entries(SOURCE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        {isJob ? (
          <Field label="Job" hint="Job id, from its page">
            <Input mono value={draft.job} onChange={(e) => setDraft({ ...draft, job: e.target.value })} />
          </Field>
        ) : null}
        {isJob ? null : (
          <>
            <Field label="Host">
              <Select value={host?.id ?? ""} onChange={(e) => onChange({ host: e.target.value, container: "" })}>
                <option value="">Choose a host…</option>
                {hosts.data?.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Container">
              <Select value={view.container} onChange={(e) => onChange({ container: e.target.value })} disabled={!host}>
                <option value="">{containers.isFetching ? "Loading…" : "Choose a container…"}</option>
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        )}
        <Field label="Tail" hint="Lines, or all">
          <Input mono value={draft.tail} onChange={(e) => setDraft({ ...draft, tail: e.target.value })} />
        </Field>
        {hasTimeWindow ? (
          <>
            <Field label="Since" hint="ISO time">
              <Input
                mono
                placeholder="2025-01-31T12:00:00Z"
                value={draft.since}
                onChange={(e) => setDraft({ ...draft, since: e.target.value })}
              />
            </Field>
            <Field label="Until" hint="ISO time">
              <Input mono placeholder="" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
            </Field>
          </>
        ) : null}
        <Field label="Filter" hint={<FilterHint isRegex={view.isRegex} />}>
          <Input mono maxLength={200} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        </Field>
        <div className="flex items-start pt-6">
          <Button type="submit" variant="secondary">
            Apply
          </Button>
        </div>
      </div>
      <div className="flex flex-wrap gap-x-5 gap-y-2">
        <Checkbox label="Regex" checked={view.isRegex} onChange={(e) => onChange({ isRegex: e.target.checked, q: draft.q })} />
        <Checkbox label="Follow" checked={view.isFollowing} onChange={(e) => onChange({ isFollowing: e.target.checked })} />
        <Checkbox label="stdout" checked={view.hasStdout} onChange={(e) => onChange({ hasStdout: e.target.checked })} />
        <Checkbox label="stderr" checked={view.hasStderr} onChange={(e) => onChange({ hasStderr: e.target.checked })} />
        <Checkbox label="Timestamps" checked={view.hasTimestamps} onChange={(e) => onChange({ hasTimestamps: e.target.checked })} />
        <Checkbox label="Wrap" checked={view.isWrapped} onChange={(e) => onChange({ isWrapped: e.target.checked })} />
      </div>
    </form>
  );
}

const n = (x: number) => x.toLocaleString("en-US");

/** What the filter searches: the server matches only the start of a very long line. */
function FilterHint({ isRegex }: { isRegex: boolean }) {
  return (
    <span
      title={`Only the first ${n(MAX_MATCH_CHARS)} characters of each line (colour codes removed) are searched; a very large regex searches fewer, at least ${n(MIN_MATCH_CHARS)}.${isRegex ? " Regex syntax has no look-around or back-references: it runs on a linear-time engine (RE2)." : ""}`}
    >
      {isRegex ? "Regex, no look-around" : "Plain text, any case"} · first {n(MAX_MATCH_CHARS)} characters of a line
    </span>
  );
}
