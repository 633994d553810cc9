import "server-only";
import { changePassword, signOutEverywhere, signUp } from "@/server/services/accounts";
import { publicProcedure, router, userProcedure } from "../trpc";
import { z } from "zod";

export const accountRouter = router({
  /** Input is validated by the service (it also enforces the password policy and the sign-up limit). */
  signUp: publicProcedure.input(z.unknown()).mutation(({ ctx, input }) => signUp(ctx.db, input, ctx.ip)),
  me: userProcedure.query(({ ctx }) => ({ id: ctx.userId, email: ctx.actor.label })),
  /** Ends every session of this account, on every device. */
  signOutEverywhere: userProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, { ...ctx.actor, id: ctx.userId })),
  changePassword: userProcedure
    .input(
      z
        .object({
          currentPassword: z.string().max(200),
          newPassword: z.string().max(200, "Password must be at most 200 characters long."),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => changePassword(ctx.db, { ...ctx.actor, id: ctx.userId }, input)),
});
