"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "@/server/domain/roles";
import { hasRole } from "@/server/domain/roles";

const RoleContext = createContext<Role>("VIEWER");

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext value={role}>{children}</RoleContext>;
}

/** UI hint only: the server checks the role again on every procedure. */
export function useCan(needed: Role): boolean {
  return hasRole(useContext(RoleContext), needed);
}

export function useRole(): Role {
  return useContext(RoleContext);
}
