import { ROLES } from "@/server/domain/roles";

const ROLE_HINTS = { VIEWER: "read only", DEPLOYER: "deploy, operate", ADMIN: "everything" } as const;

/** <option>s for a role Select, least powerful first. */
export function RoleOptions() {
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {role} ({ROLE_HINTS[role]})
    </option>
  ));
}
