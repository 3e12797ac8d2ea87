"use client";

import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LoadError, LoadingBlock } from "@/components/dashboard/page-states";
import { api, type RouterOutputs } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

type Rule = RouterOutputs["alerts"]["rules"][number];

/** Alert rules with their thresholds; admins edit a row and save it. */
export function RulesCard() {
  const rules = api.alerts.rules.useQuery();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Rules</CardTitle>
      </CardHeader>
      <CardContent>
        {rules.isPending ? (
          <LoadingBlock label="Loading rules" />
        ) : rules.isError ? (
          <LoadError error={rules.error} />
        ) : (
          <Table aria-label="Alert rules">
            <TableHeader>
              <TableRow>
                <TableHead>Rule</TableHead>
                <TableHead>On</TableHead>
                <TableHead>Threshold</TableHead>
                <TableHead>After N checks</TableHead>
                <TableHead>Repeat (min)</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {rules.data.map((r) => (
                <RuleRow key={r.kind} rule={r} />
              ))}
            </TableBody>
          </Table>
        )}
        <p className="mt-2 text-xs text-muted">
          TLS certificates are only checked when the stack&apos;s public domain is served over https.
        </p>
      </CardContent>
    </Card>
  );
}

function RuleRow({ rule }: { rule: Rule }) {
  const utils = api.useUtils();
  const isAdmin = useCan("ADMIN");
  const save = api.alerts.updateRule.useMutation({
    onSuccess: () => {
      toast.success("Rule saved");
      void utils.alerts.rules.invalidate();
    },
    onError: (err) => toast.error(messageOf(err)),
  });
  const submit = (form: FormData) =>
    save.mutate({
      kind: rule.kind,
      enabled: form.get("enabled") === "on",
      threshold: Number(form.get("threshold") ?? rule.threshold),
      consecutive: Number(form.get("consecutive")),
      repeatMinutes: Number(form.get("repeatMinutes")),
    });
  const formId = `rule-${rule.kind}`;
  return (
    <TableRow data-testid={formId}>
      <TableCell className="text-sm">
        {rule.label}
        <form
          id={formId}
          onSubmit={(e) => {
            e.preventDefault();
            submit(new FormData(e.currentTarget));
          }}
        />
      </TableCell>
      <TableCell>
        <input
          form={formId}
          type="checkbox"
          name="enabled"
          defaultChecked={rule.enabled}
          aria-label={`${rule.label} enabled`}
          disabled={!isAdmin}
        />
      </TableCell>
      <TableCell>
        {rule.unit ? (
          <span className="flex items-center gap-1">
            <Input
              form={formId}
              name="threshold"
              defaultValue={String(rule.threshold)}
              className="w-20"
              aria-label={`${rule.label} threshold`}
              disabled={!isAdmin}
            />
            {rule.unit}
          </span>
        ) : (
          "—"
        )}
      </TableCell>
      <TableCell>
        <Input
          form={formId}
          name="consecutive"
          defaultValue={String(rule.consecutive)}
          className="w-16"
          aria-label={`${rule.label} consecutive`}
          disabled={!isAdmin}
        />
      </TableCell>
      <TableCell>
        <Input
          form={formId}
          name="repeatMinutes"
          defaultValue={String(rule.repeatMinutes)}
          className="w-20"
          aria-label={`${rule.label} repeat`}
          disabled={!isAdmin}
        />
      </TableCell>
      <TableCell>
        {isAdmin ? (
          <Button form={formId} type="submit" size="sm" variant="secondary" loading={save.isPending}>
            Save
          </Button>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
