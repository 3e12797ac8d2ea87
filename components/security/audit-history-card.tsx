"use client";

import { useMemo } from "react";
import { Timestamp } from "@/components/audit/timestamp";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RouterOutputs } from "@/trpc/react";
import { ScoreChart } from "./score-chart";
import { formatScore, scoreSeries } from "./security-look";

type Run = RouterOutputs["security"]["overview"]["history"][number];

/** The last runs: the score's trend and a table, newest first. */
export function AuditHistoryCard({ history }: { history: Run[] }) {
  const [times, scores] = useMemo(() => scoreSeries(history), [history]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <ScoreChart times={times} scores={scores} />
        <Table aria-label="Audit runs">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Trigger</TableHead>
              <TableHead>Score</TableHead>
              <TableHead>Passed</TableHead>
              <TableHead>Failed</TableHead>
              <TableHead>Unknown</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {history.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.finishedAt ? <Timestamp value={r.finishedAt} /> : <span className="text-info">running</span>}</TableCell>
                <TableCell>{r.trigger}</TableCell>
                <TableCell className="tabular-nums">{r.finishedAt ? formatScore(r.score) : "—"}</TableCell>
                <TableCell className="tabular-nums">{r.passed}</TableCell>
                <TableCell className="tabular-nums">{r.failed}</TableCell>
                <TableCell className="tabular-nums">{r.unknown}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
