import "server-only";
import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());

/** The signed-in user's id and email, or null. */
export async function currentUser(): Promise<{ id: string; email: string | null } | null> {
  const session = await auth();
  const id = session?.user?.id;
  return id ? { id, email: session.user?.email ?? null } : null;
}
