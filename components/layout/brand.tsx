import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** Fox-head mark in the brand orange; fixed colours so it reads the same in both themes. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={cn("size-6 shrink-0", className)} aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill="#f97316" />
      <path d="M5 5.5 9.5 10h5L19 5.5V13l-7 6.5L5 13Z" fill="#ffffff" />
      <circle cx="9.5" cy="12.75" r="1.1" fill="#9a3412" />
      <circle cx="14.5" cy="12.75" r="1.1" fill="#9a3412" />
    </svg>
  );
}

export function Brand({ href, className }: { href?: string; className?: string }) {
  const content = (
    <>
      <BrandMark />
      <span className="text-sm font-semibold tracking-tight text-fg">PixelFox Ops</span>
    </>
  );
  const classes = cn("inline-flex items-center gap-2 rounded-md", className);
  return href ? (
    <Link href={href} className={classes}>
      {content}
    </Link>
  ) : (
    <span className={classes}>{content}</span>
  );
}
