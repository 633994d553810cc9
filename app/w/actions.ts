"use server";
import { currentUser, signOut } from "@/server/auth";
import { getDb } from "@/server/db";
import { signOutEverywhere } from "@/server/services/accounts";

/** Ends this session on the server and returns to the sign-in page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

/** Ends every session of the account, on every device, then this one. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await currentUser();
  if (user) await signOutEverywhere(await getDb(), { type: "user", id: user.id, label: user.email });
  await signOut({ redirectTo: "/sign-in" });
}
