"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api, type RouterOutputs } from "@/trpc/react";
import { formatAge } from "@/components/ui/format-age";
import { NEW_SCHEDULE, ScheduleForm, type ScheduleFormValue } from "./schedule-form";

type Schedule = RouterOutputs["schedules"]["list"][number];

const utc = (d: Date) => new Date(d).toISOString().replace("T", " ").slice(0, 19);

/** Backup and drill schedules of a stack (cron in UTC) with their next runs and retention. */
export function SchedulesCard({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const utils = api.useUtils();
  const list = api.schedules.list.useQuery({ stack }, { refetchInterval: 5_000 });
  const create = api.schedules.create.useMutation();
  const update = api.schedules.update.useMutation();
  const remove = api.schedules.delete.useMutation();
  const [editing, setEditing] = useState<"new" | Schedule | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const refresh = () => {
    void utils.schedules.list.invalidate();
    void utils.backups.health.invalidate();
  };

  async function save(v: ScheduleFormValue) {
    if (editing === "new") await create.mutateAsync({ stack, ...v });
    else if (editing) await update.mutateAsync({ id: editing.id, ...v });
    toast.success("Schedule saved");
    setEditing(null);
    refresh();
  }

  return (
    <Card>
      <CardHeader
        actions={
          isAdmin && !editing ? (
            <Button size="sm" variant="secondary" onClick={() => setEditing("new")}>
              Add schedule
            </Button>
          ) : null
        }
      >
        <CardTitle>Schedules</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {editing ? (
          <ScheduleForm
            key={editing === "new" ? "new" : editing.id}
            initial={editing === "new" ? NEW_SCHEDULE : editing}
            onSubmit={save}
            onCancel={() => setEditing(null)}
          />
        ) : null}
        {list.data?.length ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Kind</TableHead>
                <TableHead>Cron (UTC)</TableHead>
                <TableHead>Next runs</TableHead>
                <TableHead>Retention</TableHead>
                <TableHead>Last run</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.map((s) => (
                <TableRow key={s.id} data-testid={`schedule-${s.id}`}>
                  <TableCell>
                    {s.kind} {s.enabled ? null : <Badge tone="neutral">disabled</Badge>}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{s.cron}</TableCell>
                  <TableCell className="text-xs" data-testid="schedule-next-runs">
                    {s.nextRuns.length ? s.nextRuns.map((d) => <div key={String(d)}>{utc(d)}</div>) : "–"}
                  </TableCell>
                  <TableCell className="text-xs">
                    {s.kind !== "drill" ? `last ${s.keepLast} · ${s.keepDaily} daily · ${s.keepWeekly} weekly` : "–"}
                  </TableCell>
                  <TableCell className="text-xs">
                    {s.lastRunAt ? formatAge(s.lastRunAt) : "never"}
                    {s.lastResult ? <div className="text-muted">{s.lastResult}</div> : null}
                  </TableCell>
                  <TableCell className="flex justify-end gap-2">
                    {isAdmin ? (
                      <Button size="sm" variant="ghost" onClick={() => setEditing(s)}>
                        Edit
                      </Button>
                    ) : null}
                    {isAdmin ? (
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(s)}>
                        Delete
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : editing ? null : (
          <EmptyState title="No schedules" description="Add a cron schedule for backups (with retention) or restore drills." />
        )}
      </CardContent>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title="Delete this schedule?"
        description="No more runs will start from it. Its backups stay."
        confirmLabel="Delete"
        tone="danger"
        onConfirm={async () => {
          if (!deleting) return;
          await remove.mutateAsync({ id: deleting.id });
          toast.success("Schedule deleted");
          refresh();
        }}
      />
    </Card>
  );
}
