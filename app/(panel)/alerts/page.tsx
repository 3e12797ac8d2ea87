import { ChannelsCard } from "@/components/alerts/channels-card";
import { HistoryCard } from "@/components/alerts/history-card";
import { RulesCard } from "@/components/alerts/rules-card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return (
    <>
      <PageHeader title="Alerts" description="Rules, where notifications go, and every alert that fired." />
      <div className="grid gap-4">
        <HistoryCard />
        <RulesCard />
        <ChannelsCard />
      </div>
    </>
  );
}
