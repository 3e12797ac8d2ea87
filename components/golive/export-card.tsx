"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/select";
import { api } from "@/trpc/react";
import { messageOf } from "@/trpc/errors";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The compose file and env files of what runs on a host, read from Docker (admins: the env files hold secrets). */
export function ExportCard({ stack, hosts }: { stack: string; hosts: string[] }) {
  const isAdmin = useCan("ADMIN");
  const [host, setHost] = useState(hosts[0] ?? "");
  const exp = api.golive.exportHost.useMutation({ onError: (err) => toast.error(messageOf(err)) });
  if (!isAdmin) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Export compose files</CardTitle>
        <CardDescription>
          docker-compose.yml and the env files that describe what runs on a host, so an operator who prefers compose starts the same thing.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <div className="flex items-end gap-2">
          <Select aria-label="Host" value={host} onChange={(e) => setHost(e.target.value)}>
            {hosts.map((h) => (
              <option key={h}>{h}</option>
            ))}
          </Select>
          <Button variant="secondary" onClick={() => exp.mutate({ stack, host })} loading={exp.isPending} disabled={!host}>
            Export
          </Button>
        </div>
        {exp.data?.files.map((f) => (
          <div key={f.name} className="grid gap-1">
            <div className="flex items-center gap-2 text-sm">
              <span className="font-mono">{f.name}</span>
              <Button size="sm" variant="ghost" onClick={() => download(f.name, f.text)}>
                Download
              </Button>
            </div>
            {f.secret ? null : (
              <pre className="max-h-72 overflow-auto rounded bg-subtle p-2 font-mono text-xs" data-testid={`export-${f.name}`}>
                {f.text}
              </pre>
            )}
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
