"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType } from "react";
import { cn } from "@/components/ui/cn";
import {
  IconActivity,
  IconBell,
  IconDatabase,
  IconKey,
  IconLayers,
  IconLayoutDashboard,
  IconRocket,
  IconScrollText,
  IconServer,
  IconShieldCheck,
  IconUsers,
  type IconProps,
} from "@/components/ui/icons";

type NavItem = { href: string; label: string; Icon: ComponentType<IconProps> };

const mainItems: NavItem[] = [
  { href: "/", label: "Dashboard", Icon: IconLayoutDashboard },
  { href: "/deploy", label: "Deploy", Icon: IconRocket },
  { href: "/jobs", label: "Jobs", Icon: IconActivity },
  { href: "/logs", label: "Logs", Icon: IconScrollText },
  { href: "/database", label: "Database", Icon: IconDatabase },
  { href: "/stacks", label: "Stacks", Icon: IconLayers },
  { href: "/hosts", label: "Hosts", Icon: IconServer },
  { href: "/alerts", label: "Alerts", Icon: IconBell },
  { href: "/audit", label: "Audit", Icon: IconScrollText },
];

const settingsItems: NavItem[] = [
  { href: "/settings/account", label: "Your account", Icon: IconShieldCheck },
  { href: "/settings/users", label: "Users", Icon: IconUsers },
  { href: "/settings/tokens", label: "API tokens", Icon: IconKey },
];

/** "/" only matches itself; other sections stay highlighted on their detail pages (/hosts/abc). */
function isActivePath(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

function NavLink({ item, pathname }: { item: NavItem; pathname: string }) {
  const isActive = isActivePath(pathname, item.href);
  return (
    <li>
      <Link
        href={item.href}
        aria-current={isActive ? "page" : undefined}
        className={cn(
          "flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm transition-colors",
          isActive
            ? "bg-subtle font-medium text-fg shadow-[inset_2px_0_0_var(--color-accent)]"
            : "text-muted hover:bg-subtle/70 hover:text-fg",
        )}
      >
        <item.Icon className={cn("size-4", isActive && "text-accent-text")} />
        {item.label}
      </Link>
    </li>
  );
}

export function NavLinks() {
  const pathname = usePathname() ?? "/";
  return (
    <div className="grid gap-5">
      <ul className="grid gap-0.5">
        {mainItems.map((item) => (
          <NavLink key={item.href} item={item} pathname={pathname} />
        ))}
      </ul>
      <div className="grid gap-1">
        <p className="px-2.5 text-[11px] font-medium tracking-wider text-muted uppercase">Settings</p>
        <ul className="grid gap-0.5">
          {settingsItems.map((item) => (
            <NavLink key={item.href} item={item} pathname={pathname} />
          ))}
        </ul>
      </div>
    </div>
  );
}
