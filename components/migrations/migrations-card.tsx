"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";
import { MigrationActionDialog, type AdminAction } from "./migration-action-dialog";
import { useMigrationStatus } from "./use-migration-status";

const STATE_TONE = { applied: "success", pending: "warning", dirty: "danger" } as const;

/** Migration status of a stack's database against the migrations in an image, with Up and admin actions. */
export function MigrationsCard({
  stack,
  refreshKey = 0,
  onStarted,
}: {
  stack: string;
  /** Changed by the page when a job ends, to read the status again. */
  refreshKey?: number;
  onStarted: (jobId: string) => void;
}) {
  const canDeploy = useCan("DEPLOYER");
  const isAdmin = useCan("ADMIN");
  const [tagInput, setTagInput] = useState("");
  const [tag, setTag] = useState<string | undefined>(undefined);
  const [action, setAction] = useState<AdminAction | null>(null);
  const status = useMigrationStatus(stack, tag, refreshKey);
  const up = api.migrations.up.useMutation();
  const s = status.data;
  const pending = s?.migrations.filter((m) => m.state === "pending").length ?? 0;

  async function runUp() {
    try {
      const res = await up.mutateAsync({ stack, tag });
      toast.success("Migration started");
      onStarted(res.jobId);
    } catch (err) {
      toast.error(messageOf(err));
    }
  }

  return (
    <Card>
      <CardHeader
        actions={
          canDeploy ? (
            <div className="flex gap-2">
              <Button size="sm" onClick={() => void runUp()} loading={up.isPending} disabled={!s || s.dirty || pending === 0}>
                Migrate up
              </Button>
              {isAdmin ? (
                <>
                  <Button size="sm" variant="secondary" onClick={() => setAction({ kind: "down" })} disabled={!s || s.version === null}>
                    Down 1
                  </Button>
                  <Button size="sm" variant="secondary" onClick={() => setAction({ kind: "goto" })}>
                    Go to…
                  </Button>
                  <Button size="sm" variant="danger" onClick={() => setAction({ kind: "force" })}>
                    Force…
                  </Button>
                </>
              ) : null}
            </div>
          ) : null
        }
      >
        <CardTitle>Migrations</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {status.error ? (
          <Alert tone="danger" title="Could not read the migration status">
            {status.error}
          </Alert>
        ) : null}
        {s ? (
          <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="migration-state">
            <span>
              Database <span className="font-mono">{s.database}</span> on {s.dbHost}:
            </span>
            <span>
              version <strong data-testid="migration-version">{s.version ?? "none"}</strong>
            </span>
            {s.dirty ? <Badge tone="danger">dirty</Badge> : <Badge tone="success">clean</Badge>}
            <span className="text-muted">
              files from <span className="font-mono">{s.image ?? "no image"}</span>
            </span>
          </div>
        ) : null}
        {s?.dirty ? (
          <Alert tone="danger" title="The database is dirty">
            A migration failed half-way at version {s.version}. Deploys are refused. Fix the schema by hand, then force the version it is
            really at.
          </Alert>
        ) : null}
        {s?.imageError ? (
          <Alert tone="warning" title="Migrations of the image could not be read">
            {s.imageError}
          </Alert>
        ) : null}
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setTag(tagInput.trim() || undefined);
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            Image tag (empty: the running one)
            <Input
              mono
              value={tagInput}
              onChange={(e) => setTagInput(e.target.value)}
              placeholder={s?.tag ?? "v1.1.0"}
              aria-label="Image tag"
            />
          </label>
          <Button size="sm" variant="secondary" type="submit">
            Show
          </Button>
        </form>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Version</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Files</TableHead>
              <TableHead>State</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {s?.migrations.map((m) => (
              <TableRow key={m.version} data-testid={`migration-${m.version}`}>
                <TableCell className="font-mono">{m.version}</TableCell>
                <TableCell>{m.name}</TableCell>
                <TableCell className="font-mono text-xs">{[m.upFile, m.downFile].filter(Boolean).join(", ")}</TableCell>
                <TableCell>
                  <Badge tone={STATE_TONE[m.state]}>{m.state}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
      <MigrationActionDialog
        stack={stack}
        tag={tag}
        action={action}
        database={s?.database ?? stack}
        onClose={() => setAction(null)}
        onStarted={onStarted}
      />
    </Card>
  );
}
