"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { api, type RouterOutputs } from "@/trpc/react";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { checkInput } from "@/components/ui/check-input";
import { ZOffsiteSettingsInput } from "@/server/domain/offsite";

type View = RouterOutputs["offsite"]["get"];
type TestResult = RouterOutputs["offsite"]["test"];

interface FormValue {
  enabled: boolean;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

const fromView = (v: View): FormValue => ({
  enabled: v.configured ? v.enabled : true,
  endpoint: v.endpoint,
  region: v.region,
  bucket: v.bucket,
  prefix: v.prefix,
  forcePathStyle: v.forcePathStyle,
  accessKeyId: v.accessKeyId,
  secretAccessKey: "",
});

function TestOutcome({ r }: { r: TestResult }) {
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="offsite-test-result" data-ok={r.ok ? "true" : "false"} role="status">
      <div>
        <Badge tone={r.ok ? "success" : "danger"}>{r.ok ? "test passed" : "test failed"}</Badge>
        <span className="ml-2 text-muted">
          {r.endpoint} · bucket {r.bucket} · {r.steps.map((s) => `${s.step} ${s.ok ? "ok" : "FAILED"} (${s.ms} ms)`).join(", ")}
        </span>
      </div>
      {r.error ? (
        <p className="text-danger" data-testid="offsite-test-error">
          {r.error}
        </p>
      ) : null}
    </div>
  );
}

/** Off-site (S3-compatible) storage of the stack's backups (ADMIN): settings, write-only secret, and a write/read/delete test. */
export function OffsiteCard({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const view = api.offsite.get.useQuery({ stack }, { enabled: isAdmin });
  const save = api.offsite.save.useMutation();
  const test = api.offsite.test.useMutation();
  const [value, setValue] = useState<FormValue | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<TestResult | null>(null);
  useEffect(() => {
    if (view.data && !value) setValue(fromView(view.data));
  }, [view.data, value]);
  if (!isAdmin || !view.data || !value) return null;
  const v = view.data;
  const set = <K extends keyof FormValue>(k: K, x: FormValue[K]) => setValue((old) => (old ? { ...old, [k]: x } : old));
  const text = (k: "endpoint" | "region" | "bucket" | "prefix" | "accessKeyId", label: string, hint?: string) => (
    <Field label={label} error={errors[k]} hint={hint}>
      <Input mono value={value[k]} onChange={(e) => set(k, e.target.value)} autoComplete="off" />
    </Field>
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!value) return;
    const input = { ...value, secretAccessKey: value.secretAccessKey || undefined };
    const checked = checkInput(ZOffsiteSettingsInput, input);
    if (!checked.ok) return (setErrors(checked.errors), void toast.error("Check the highlighted fields"));
    setErrors({});
    try {
      const saved = await save.mutateAsync({ stack, ...input });
      setValue(fromView(saved));
      setResult(null);
      toast.success("Off-site settings saved");
      void utils.offsite.get.invalidate();
      void utils.backups.health.invalidate();
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setErrors(fields);
      if (!Object.keys(fields).length) toast.error(messageOf(err));
    }
  }

  async function runTest() {
    try {
      setResult(await test.mutateAsync({ stack }));
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  return (
    <Card data-testid="offsite-card">
      <CardHeader
        actions={
          v.configured ? (
            <Badge tone={v.enabled ? "success" : "neutral"}>{v.enabled ? "enabled" : "disabled"}</Badge>
          ) : (
            <Badge>not configured</Badge>
          )
        }
      >
        <CardTitle>Off-site copies</CardTitle>
        <CardDescription>
          Each good backup is uploaded as stored to an S3-compatible bucket and checked there (size and sha256).
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
          <div className="grid gap-3 md:grid-cols-3">
            {text("endpoint", "Endpoint URL", "e.g. https://s3.eu-central-1.amazonaws.com")}
            {text("region", "Region")}
            {text("bucket", "Bucket")}
            {text("prefix", "Key prefix", "optional, e.g. pixelfox/db/")}
            {text("accessKeyId", "Access key id")}
            <Field label="Secret key" error={errors.secretAccessKey} hint={v.hasSecret ? "set; leave empty to keep it" : "required"}>
              <Input
                type="password"
                value={value.secretAccessKey}
                placeholder={v.hasSecret ? "•••••• (set)" : ""}
                onChange={(e) => set("secretAccessKey", e.target.value)}
                autoComplete="new-password"
              />
            </Field>
          </div>
          <div className="flex flex-wrap gap-6">
            <Checkbox
              label="Path-style addressing"
              checked={value.forcePathStyle}
              onChange={(e) => set("forcePathStyle", e.target.checked)}
            />
            <Checkbox label="Copy new backups off-site" checked={value.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          </div>
          <div className="flex gap-2">
            <Button type="submit" size="sm" loading={save.isPending}>
              Save off-site settings
            </Button>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => void runTest()}
              loading={test.isPending}
              disabled={!v.configured}
            >
              Test
            </Button>
          </div>
          {result ? <TestOutcome r={result} /> : null}
        </form>
      </CardContent>
    </Card>
  );
}
