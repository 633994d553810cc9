import { unknownApiRoute } from "@/server/http/rest";

export const dynamic = "force-dynamic";

/** Any /api path no route handles answers a JSON 404 naming it, not the HTML not-found page. */
export {
  unknownApiRoute as GET,
  unknownApiRoute as POST,
  unknownApiRoute as PUT,
  unknownApiRoute as PATCH,
  unknownApiRoute as DELETE,
};
