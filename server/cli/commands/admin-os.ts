import { hostname, userInfo } from "node:os";

/** Who runs the operator command, for the audit trail. */
export const os = {
  user: () => {
    try {
      return userInfo().username;
    } catch {
      return "unknown";
    }
  },
  host: () => hostname(),
};
