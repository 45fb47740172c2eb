import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/auth/login-session.server.ts";

export async function loader() {
  // Logging out changes state, so only POST does it (a link or prefetch must not log anyone out).
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // Read the (ignored) form: answering before the body is read makes Node close the connection,
  // and a client still sending a large body would see a reset instead of this redirect.
  await request.arrayBuffer().catch(() => null);
  const cookie = await endSession(request);
  return redirect("/login?notice=loggedOut", { headers: { "Set-Cookie": cookie } });
}
