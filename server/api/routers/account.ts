import "server-only";
import { signUp } from "@/server/services/accounts";
import { publicProcedure, router, userProcedure } from "../trpc";
import { z } from "zod";

export const accountRouter = router({
  /** Input is validated by the service (it also enforces the password policy and the sign-up limit). */
  signUp: publicProcedure.input(z.unknown()).mutation(({ ctx, input }) => signUp(ctx.db, input, ctx.ip)),
  me: userProcedure.query(({ ctx }) => ({ id: ctx.userId, email: ctx.actor.label })),
});
