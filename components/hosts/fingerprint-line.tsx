import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/components/ui/cn";

/** A labelled SHA256 fingerprint in mono, copyable, so it can be compared character by character. */
export function FingerprintLine({ label, value, className }: { label: string; value: string | null; className?: string }) {
  return (
    <div className={cn("grid gap-1", className)}>
      <span className="text-xs font-medium opacity-80">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-black/10 px-1.5 py-0.5 font-mono text-[13px] break-all dark:bg-white/10">{value ?? "unknown"}</code>
        {value ? <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} iconOnly variant="ghost" size="icon" /> : null}
      </div>
    </div>
  );
}

/** What an admin runs on the host (over a trusted channel, e.g. the provider's console) to compare. */
export function VerifyInstructions() {
  return (
    <p className="text-sm">
      On the host itself (through your provider&apos;s web console, not over this same network path), run{" "}
      <code className="rounded bg-black/10 px-1 font-mono text-[13px] dark:bg-white/10">
        ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub
      </code>{" "}
      and check that it prints the same SHA256 fingerprint.
    </p>
  );
}
